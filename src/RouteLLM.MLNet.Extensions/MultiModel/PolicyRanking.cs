namespace RouteLLM.MLNet.Extensions;

/// <summary>Orders a request's candidate models by a policy's objective, best first.</summary>
internal static class PolicyRanking
{
    /// <summary>
    /// Willingness to pay (and a budget, through its λ): quality − λ × cost, highest first. A quality floor: the models
    /// within the margin of the best predicted, cheapest first, then the others, best predicted first. Ties go to the
    /// cheaper model, then to the name, so that a ranking is the same on every replica.
    /// </summary>
    public static ModelCandidate[] Rank(IReadOnlyList<ModelCandidate> candidates, ModelPolicy policy, double? lambda)
    {
        if (policy.Kind == ModelPolicyKind.QualityFloor)
        {
            var floor = candidates.Max(c => (double)c.PredictedQuality) - policy.Value;
            return [.. candidates
                .OrderByDescending(c => c.PredictedQuality >= floor)
                .ThenBy(c => c.PredictedQuality >= floor ? c.EstimatedCostUsd : -c.PredictedQuality)
                .ThenBy(c => c.EstimatedCostUsd)
                .ThenBy(c => c.Model, StringComparer.Ordinal)];
        }

        var price = lambda ?? throw new ArgumentNullException(nameof(lambda), "Willingness to pay and budgets rank with a λ.");
        var ranked = candidates.ToArray();
        Array.Sort(ranked, (a, b) => Compare(a, b, price));
        return ranked;
    }

    /// <summary>The first of <see cref="Rank"/>'s willingness-to-pay order, without sorting (for calibration sweeps).</summary>
    public static ModelCandidate Best(ReadOnlySpan<ModelCandidate> candidates, double lambda)
    {
        var best = candidates[0];
        foreach (var candidate in candidates[1..])
        {
            if (Compare(candidate, best, lambda) < 0)
            {
                best = candidate;
            }
        }

        return best;
    }

    private static int Compare(ModelCandidate a, ModelCandidate b, double lambda)
    {
        var byObjective = (b.PredictedQuality - (lambda * b.EstimatedCostUsd)).CompareTo(a.PredictedQuality - (lambda * a.EstimatedCostUsd));
        return byObjective != 0 ? byObjective
            : a.EstimatedCostUsd != b.EstimatedCostUsd ? a.EstimatedCostUsd.CompareTo(b.EstimatedCostUsd)
            : string.CompareOrdinal(a.Model, b.Model);
    }
}
