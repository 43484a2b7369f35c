using System.Globalization;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// The knob of a multi-model decision: willingness to pay (λ), a budget per request, or a quality floor, as a request
/// names it. <see cref="MultiModelRouter"/> turns it into the library's <see cref="Policies.RoutingPolicy"/> for each
/// router version (a budget through <see cref="Policies.BudgetCalibrator"/> on the router's calibration prompts). Its
/// <see cref="ToString"/> is the suffix of the server's policy model names, e.g. <c>wtp-50</c> in <c>router-mf-wtp-50</c>.
/// </summary>
public readonly record struct ModelPolicy
{
    private ModelPolicy(ModelPolicyKind kind, double value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Which trade-off.</summary>
    public ModelPolicyKind Kind { get; }

    /// <summary>λ in quality per USD, the budget in USD per request, or the quality margin in [0, 1].</summary>
    public double Value { get; }

    /// <summary>Picks the model with the highest predicted quality − <paramref name="lambda"/> × estimated cost in USD.</summary>
    /// <param name="lambda">Quality given up per USD saved, ≥ 0; 0 picks the best predicted model whatever it costs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative, infinite or NaN.</exception>
    public static ModelPolicy WillingnessToPay(double lambda) =>
        new(ModelPolicyKind.WillingnessToPay, double.IsFinite(lambda) && lambda >= 0 ? lambda : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "Must be a finite number ≥ 0."));

    /// <summary>
    /// Willingness to pay with the smallest λ at which the router's calibration prompts cost at most
    /// <paramref name="usdPerRequest"/> on average, found again at every load of the router.
    /// </summary>
    /// <param name="usdPerRequest">The target mean cost per request in USD, ≥ 0 (0: always the cheapest model).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usdPerRequest"/> is negative, infinite or NaN.</exception>
    public static ModelPolicy Budget(double usdPerRequest) =>
        new(ModelPolicyKind.Budget, double.IsFinite(usdPerRequest) && usdPerRequest >= 0 ? usdPerRequest : throw new ArgumentOutOfRangeException(nameof(usdPerRequest), usdPerRequest, "Must be a finite number ≥ 0."));

    /// <summary>Picks the cheapest model whose predicted quality is at least the best predicted − <paramref name="margin"/>.</summary>
    /// <param name="margin">The quality the request may give up, in [0, 1]; 0 picks the cheapest of the best.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="margin"/> is outside [0, 1] or NaN.</exception>
    public static ModelPolicy QualityFloor(double margin) =>
        new(ModelPolicyKind.QualityFloor, margin is >= 0 and <= 1 ? margin : throw new ArgumentOutOfRangeException(nameof(margin), margin, "Must be in [0, 1]."));

    /// <summary>The form used in model names: <c>wtp-LAMBDA</c>, <c>budget-USD</c> or <c>floor-X</c>.</summary>
    public override string ToString() => Kind switch
    {
        ModelPolicyKind.WillingnessToPay => "wtp-",
        ModelPolicyKind.Budget => "budget-",
        _ => "floor-",
    } + Value.ToString("0.##########", CultureInfo.InvariantCulture);
}
