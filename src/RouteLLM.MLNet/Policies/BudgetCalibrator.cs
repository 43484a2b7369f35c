namespace RouteLLM.MLNet.Policies;

/// <summary>
/// Turns a budget (a target mean cost per request) into the willingness to pay that meets it on calibration prompts,
/// as <see cref="Scoring.ThresholdCalibrator"/> turns a share into a threshold: recalibrated at every load, the budget
/// still holds after a retrain.
/// </summary>
public static class BudgetCalibrator
{
    private const int Bisections = 200;

    /// <summary>
    /// The smallest λ at which willingness to pay spends at most <paramref name="targetMeanCostUsd"/> per prompt on
    /// average over <paramref name="calibration"/>: λ = 0 when even the best models fit the budget, λ = ∞ (the cheapest
    /// models) when nothing smaller does.
    /// </summary>
    /// <param name="calibration">Priced predictions on prompts like the traffic to expect.</param>
    /// <param name="targetMeanCostUsd">The budget: mean USD per request, ≥ 0.</param>
    /// <param name="allowed">One flag per model, or empty for every model.</param>
    public static WillingnessToPayPolicy ForMeanCost(PricedPredictions calibration, double targetMeanCostUsd, ReadOnlySpan<bool> allowed = default)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (!double.IsFinite(targetMeanCostUsd) || targetMeanCostUsd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetMeanCostUsd), targetMeanCostUsd, "The budget must be a finite number ≥ 0.");
        }

        if (calibration.PromptCount == 0)
        {
            throw new ArgumentException("Calibration needs at least one prompt.", nameof(calibration));
        }

        if (MeanCost(calibration, 0, allowed) <= targetMeanCostUsd)
        {
            return new WillingnessToPayPolicy(0);
        }

        // Mean cost does not increase with λ (a higher λ never picks a dearer model for a prompt): grow an upper bound,
        // then bisect on a log scale, as the λ that matter span many orders of magnitude.
        var high = 1.0;
        while (MeanCost(calibration, high, allowed) > targetMeanCostUsd)
        {
            if (high > 1e300)
            {
                return new WillingnessToPayPolicy(double.PositiveInfinity);
            }

            high *= 16;
        }

        var low = high / 16;
        while (low > 1e-300 && MeanCost(calibration, low, allowed) <= targetMeanCostUsd)
        {
            low /= 16;
        }

        for (var i = 0; i < Bisections && high > low * (1 + 1e-12); i++)
        {
            var middle = Math.Sqrt(low * high);
            (low, high) = MeanCost(calibration, middle, allowed) <= targetMeanCostUsd ? (low, middle) : (middle, high);
        }

        return new WillingnessToPayPolicy(high);
    }

    /// <summary>The mean cost per prompt that willingness to pay at <paramref name="lambda"/> spends on <paramref name="predictions"/>.</summary>
    /// <param name="predictions">Priced predictions.</param>
    /// <param name="lambda">Quality given up per USD saved.</param>
    /// <param name="allowed">One flag per model, or empty for every model.</param>
    public static double MeanCost(PricedPredictions predictions, double lambda, ReadOnlySpan<bool> allowed = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var policy = new WillingnessToPayPolicy(lambda);
        var total = 0.0;
        for (var p = 0; p < predictions.PromptCount; p++)
        {
            var cost = predictions.CostRow(p);
            total += cost[policy.Choose(predictions.QualityRow(p), cost, allowed)];
        }

        return predictions.PromptCount == 0 ? 0 : total / predictions.PromptCount;
    }
}
