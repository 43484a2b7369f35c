using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>95% percentile-bootstrap intervals (resampling prompts) of a multi-model evaluation's AIQs.</summary>
/// <param name="Aiq">The router's AIQ.</param>
/// <param name="ZeroRouterAiq">The zero router's AIQ.</param>
/// <param name="OracleAiq">The oracle's AIQ.</param>
/// <param name="AiqOverZeroRouter">The router's AIQ minus the zero router's, on the same resample.</param>
public sealed record MultiModelIntervals(
    [property: JsonPropertyName("aiq")] ConfidenceInterval Aiq,
    [property: JsonPropertyName("zero_router_aiq")] ConfidenceInterval ZeroRouterAiq,
    [property: JsonPropertyName("oracle_aiq")] ConfidenceInterval OracleAiq,
    [property: JsonPropertyName("aiq_over_zero_router")] ConfidenceInterval AiqOverZeroRouter);
