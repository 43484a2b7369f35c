using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>One model called on every prompt: its mean cost and mean quality.</summary>
/// <param name="Model">The model.</param>
/// <param name="CostUsd">Mean cost per prompt in USD.</param>
/// <param name="Quality">Mean quality.</param>
public sealed record SingleModelPoint(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("cost_usd")] double CostUsd,
    [property: JsonPropertyName("quality")] double Quality);
