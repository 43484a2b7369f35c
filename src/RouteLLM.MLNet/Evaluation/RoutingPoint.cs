using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>One point of a cost/quality trade-off curve: a share of strong-model calls and the quality it buys.</summary>
/// <param name="Threshold">
/// The win-rate threshold that produced the point (prompts scoring at or above it go to the strong model); null for
/// curves no single threshold produces: the oracle and the seed-averaged random router.
/// </param>
/// <param name="StrongShare">Fraction of prompts sent to the strong model, in [0, 1].</param>
/// <param name="Quality">Mean quality over all prompts of the model each was routed to.</param>
/// <param name="Pgr">Performance gap recovered: (quality − weak quality) / (strong quality − weak quality).</param>
public sealed record RoutingPoint(
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("strong_share")] double StrongShare,
    [property: JsonPropertyName("quality")] double Quality,
    [property: JsonPropertyName("pgr")] double Pgr);
