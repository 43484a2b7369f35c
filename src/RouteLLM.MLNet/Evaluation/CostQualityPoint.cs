using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>One point of a multi-model cost/quality curve: mean cost per prompt and the mean quality it buys.</summary>
/// <param name="CostUsd">Mean cost per prompt in USD.</param>
/// <param name="Quality">Mean quality per prompt.</param>
/// <param name="Lambda">The willingness to pay that produced the point; null for points no λ produces (single models, a hull's).</param>
public sealed record CostQualityPoint(
    [property: JsonPropertyName("cost_usd")] double CostUsd,
    [property: JsonPropertyName("quality")] double Quality,
    [property: JsonPropertyName("lambda"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Lambda = null);
