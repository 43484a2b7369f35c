using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// CPT(x%): the smallest share of strong-model calls at which a router recovers x% of the strong/weak performance
/// gap, read off its trade-off curve (see <see cref="RoutingMetrics.CallPerformanceThreshold"/>). A router curve
/// always reaches a PGR of 1 at 100% strong calls, so these are never null for it; null means never reached.
/// </summary>
/// <param name="Cpt20">CPT(20%), as a fraction of prompts.</param>
/// <param name="Cpt50">CPT(50%), as a fraction of prompts.</param>
/// <param name="Cpt80">CPT(80%), as a fraction of prompts.</param>
public sealed record CallPerformanceThresholds(
    [property: JsonPropertyName("20")] double? Cpt20,
    [property: JsonPropertyName("50")] double? Cpt50,
    [property: JsonPropertyName("80")] double? Cpt80)
{
    /// <summary>CPT(20%), CPT(50%) and CPT(80%) of a curve.</summary>
    internal static CallPerformanceThresholds Of(IReadOnlyList<RoutingPoint> curve) => new(
        RoutingMetrics.CallPerformanceThreshold(curve, 0.2),
        RoutingMetrics.CallPerformanceThreshold(curve, 0.5),
        RoutingMetrics.CallPerformanceThreshold(curve, 0.8));
}
