using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// One router evaluated on one multi-model benchmark, RouterBench's way. Serialises (see
/// <see cref="EvaluationJson"/>) with snake_case names: <c>router</c>, <c>router_file</c>, <c>benchmark</c>,
/// <c>prompts</c>, <c>models</c>, <c>left_out</c>, <c>single_models</c>, <c>aiq</c>, <c>zero_router_aiq</c>,
/// <c>oracle_aiq</c>, <c>gap_closed</c>, <c>highest_quality</c>, <c>cost_share_to_match_best</c>, <c>ci95</c>,
/// <c>curve</c>, <c>hull</c>, <c>zero_router_hull</c>, <c>oracle_hull</c>.
/// </summary>
public sealed record MultiModelEvaluation
{
    /// <summary>The router's name.</summary>
    [JsonPropertyName("router")]
    public required string Router { get; init; }

    /// <summary>The file the router was loaded from; null when not given.</summary>
    [JsonPropertyName("router_file")]
    public string? RouterFile { get; init; }

    /// <summary>The benchmark's name.</summary>
    [JsonPropertyName("benchmark")]
    public required string Benchmark { get; init; }

    /// <summary>Prompts evaluated.</summary>
    [JsonPropertyName("prompts")]
    public required int Prompts { get; init; }

    /// <summary>The models evaluated: those in the benchmark, the catalogue and the router alike.</summary>
    [JsonPropertyName("models")]
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Models left out, each with the reason.</summary>
    [JsonPropertyName("left_out")]
    public required IReadOnlyList<string> LeftOut { get; init; }

    /// <summary>Each model called on every prompt.</summary>
    [JsonPropertyName("single_models")]
    public required IReadOnlyList<SingleModelPoint> SingleModels { get; init; }

    /// <summary>The router's AIQ over the single models' cost range.</summary>
    [JsonPropertyName("aiq")]
    public required double Aiq { get; init; }

    /// <summary>The zero router's AIQ: the hull of the single models alone.</summary>
    [JsonPropertyName("zero_router_aiq")]
    public required double ZeroRouterAiq { get; init; }

    /// <summary>The oracle's AIQ: per prompt the cheapest of the best models, swept over λ.</summary>
    [JsonPropertyName("oracle_aiq")]
    public required double OracleAiq { get; init; }

    /// <summary>The share of the zero-router-to-oracle AIQ gap the router closes; null when the gap is zero.</summary>
    [JsonPropertyName("gap_closed")]
    public required double? GapClosed { get; init; }

    /// <summary>The highest mean quality on the router's curve.</summary>
    [JsonPropertyName("highest_quality")]
    public required double HighestQuality { get; init; }

    /// <summary>
    /// The lowest cost at which the router's hull matches the best single model's quality, as a share of that model's
    /// cost; null when it never does.
    /// </summary>
    [JsonPropertyName("cost_share_to_match_best")]
    public required double? CostShareToMatchBest { get; init; }

    /// <summary>95% bootstrap intervals.</summary>
    [JsonPropertyName("ci95")]
    public required MultiModelIntervals Ci95 { get; init; }

    /// <summary>The router's curve over its willingness to pay λ.</summary>
    [JsonPropertyName("curve")]
    public required IReadOnlyList<CostQualityPoint> Curve { get; init; }

    /// <summary>The non-decreasing convex hull of <see cref="Curve"/>.</summary>
    [JsonPropertyName("hull")]
    public required IReadOnlyList<CostQualityPoint> Hull { get; init; }

    /// <summary>The zero router: the hull of the single models.</summary>
    [JsonPropertyName("zero_router_hull")]
    public required IReadOnlyList<CostQualityPoint> ZeroRouterHull { get; init; }

    /// <summary>The hull of the oracle's curve.</summary>
    [JsonPropertyName("oracle_hull")]
    public required IReadOnlyList<CostQualityPoint> OracleHull { get; init; }
}
