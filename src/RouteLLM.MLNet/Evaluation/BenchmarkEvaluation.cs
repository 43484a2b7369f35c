using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// One router evaluated on one benchmark, RouteLLM's way. Serialises (see <see cref="EvaluationJson"/>) to exactly
/// <c>{"router","router_file","benchmark","prompts","dropped":{"contaminated_list","near_training"},"strong_model",
/// "weak_model","strong_quality","weak_quality","apgr","apgr_ci95":[lo,hi],"cpt":{"20","50","80"},"cpt50_ci95":[lo,hi],
/// "points":[{"threshold","strong_share","quality","pgr"}],"random_apgr","oracle_apgr"}</c>; shares and CPTs are
/// fractions in [0, 1]. The baselines' curves are kept for plots but not serialised.
/// </summary>
public sealed record BenchmarkEvaluation
{
    /// <summary>The router's name.</summary>
    [JsonPropertyName("router")]
    public required string Router { get; init; }

    /// <summary>The file the router was loaded from; null when not given.</summary>
    [JsonPropertyName("router_file")]
    public string? RouterFile { get; init; }

    /// <summary>The benchmark: <c>mmlu</c>, <c>mt-bench</c>, <c>gsm8k</c> or <c>csv</c>.</summary>
    [JsonPropertyName("benchmark")]
    public required string Benchmark { get; init; }

    /// <summary>Prompts evaluated, after the dropped ones.</summary>
    [JsonPropertyName("prompts")]
    public required int Prompts { get; init; }

    /// <summary>Prompts dropped as (possibly) seen in training.</summary>
    [JsonPropertyName("dropped")]
    public required DroppedPrompts Dropped { get; init; }

    /// <summary>The strong model.</summary>
    [JsonPropertyName("strong_model")]
    public required string StrongModel { get; init; }

    /// <summary>The weak model.</summary>
    [JsonPropertyName("weak_model")]
    public required string WeakModel { get; init; }

    /// <summary>Mean quality of the strong model on the evaluated prompts.</summary>
    [JsonPropertyName("strong_quality")]
    public required double StrongQuality { get; init; }

    /// <summary>Mean quality of the weak model on the evaluated prompts.</summary>
    [JsonPropertyName("weak_quality")]
    public required double WeakQuality { get; init; }

    /// <summary>The router's average performance gap recovered.</summary>
    [JsonPropertyName("apgr")]
    public required double Apgr { get; init; }

    /// <summary>95% bootstrap confidence interval of <see cref="Apgr"/>.</summary>
    [JsonPropertyName("apgr_ci95")]
    public required ConfidenceInterval ApgrCi95 { get; init; }

    /// <summary>The router's CPT(20%), CPT(50%) and CPT(80%).</summary>
    [JsonPropertyName("cpt")]
    public required CallPerformanceThresholds Cpt { get; init; }

    /// <summary>95% bootstrap confidence interval of CPT(50%).</summary>
    [JsonPropertyName("cpt50_ci95")]
    public required ConfidenceInterval Cpt50Ci95 { get; init; }

    /// <summary>The router's trade-off curve, in ascending strong share (descending threshold).</summary>
    [JsonPropertyName("points")]
    public required IReadOnlyList<RoutingPoint> Points { get; init; }

    /// <summary>APGR of the random router on the same prompts (mean curve over seeds).</summary>
    [JsonPropertyName("random_apgr")]
    public required double RandomApgr { get; init; }

    /// <summary>APGR of the oracle on the same prompts.</summary>
    [JsonPropertyName("oracle_apgr")]
    public required double OracleApgr { get; init; }

    /// <summary>The random router's seed-averaged curve; not serialised, so empty in a result deserialised from JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<RoutingPoint> RandomPoints { get; init; } = [];

    /// <summary>The oracle's curve; not serialised, so empty in a result deserialised from JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<RoutingPoint> OraclePoints { get; init; } = [];
}
