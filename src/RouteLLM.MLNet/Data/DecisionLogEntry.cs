using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// One line of the routing server's decision log (<c>decisions-YYYYMMDD-NNN.jsonl</c>, snake_case JSON): one request,
/// how it was routed and what it cost.
/// </summary>
public sealed record DecisionLogEntry
{
    /// <summary>When the request arrived (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The server's id of the response (header <c>x-routellm-response-id</c>), which feedback names.</summary>
    public required string Id { get; init; }

    /// <summary>The upstream's own response id (the body's <c>id</c>), when it sent one.</summary>
    public string? UpstreamId { get; init; }

    /// <summary>The router's name.</summary>
    public required string Router { get; init; }

    /// <summary>The router's version in the server (1 at start, +1 at each hot reload of its zip).</summary>
    public int RouterVersion { get; init; }

    /// <summary>
    /// A short digest of the router zip that decided (its manifest's kind, training data, options and entry digests):
    /// the same zip has the same digest, across restarts too; null in lines written before it was logged.
    /// </summary>
    public string? RouterDigest { get; init; }

    /// <summary>
    /// The model name the client asked for, which names the policy: e.g. <c>router-mf-0.5</c>, <c>router-mf@0.3</c>,
    /// <c>shadow-mf-0.5-weak</c>, or a multi-model policy such as <c>router-mf-wtp-50</c>.
    /// </summary>
    public required string Policy { get; init; }

    /// <summary>The threshold the win rate was compared with (calibrated, for a share); null for a multi-model policy.</summary>
    public double? Threshold { get; init; }

    /// <summary>The router's P(strong model wins) for the request; null for a multi-model policy.</summary>
    public double? StrongWinRate { get; init; }

    /// <summary>
    /// The router's decision: <c>strong</c> or <c>weak</c> for a strong/weak policy (what it would do even in shadow
    /// mode); the chosen model for a multi-model policy (before any failover).
    /// </summary>
    public required string Route { get; init; }

    /// <summary>Whether the request was sent to a fixed model whatever the decision (shadow mode).</summary>
    public bool Shadow { get; init; }

    /// <summary>The strong model's name, as configured; null for a multi-model policy.</summary>
    public string? StrongModel { get; init; }

    /// <summary>The weak model's name, as configured; null for a multi-model policy.</summary>
    public string? WeakModel { get; init; }

    /// <summary>A multi-model policy's λ in force (quality per USD), when finite; null for a quality floor and a strong/weak policy.</summary>
    public double? Lambda { get; init; }

    /// <summary>A multi-model policy's predicted quality of the answering model's answer; null for a strong/weak policy.</summary>
    public float? PredictedQuality { get; init; }

    /// <summary>A multi-model policy's estimate of the request's cost on the answering model (catalogue prices); null for a strong/weak policy.</summary>
    public double? EstimatedCostUsd { get; init; }

    /// <summary>A multi-model policy's estimate of the request's cost on the most expensive model it ranked; null for a strong/weak policy.</summary>
    public double? MostExpensiveCostUsd { get; init; }

    /// <summary>A multi-model policy's ranking, best first: each model's predicted quality and estimated cost; null for a strong/weak policy.</summary>
    public IReadOnlyList<ModelPrediction>? Predictions { get; init; }

    /// <summary>The model that answered (after any failover), or the one that failed last.</summary>
    public required string Model { get; init; }

    /// <summary>SHA-256 of the routed text (lowercase hex).</summary>
    public required string PromptHash { get; init; }

    /// <summary>The routed text, only when the server is configured to log it.</summary>
    public string? Prompt { get; init; }

    /// <summary>Input tokens, from the upstream's <c>usage</c>.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Output tokens, from the upstream's <c>usage</c>.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>The request's cost at the configured prices, when its usage and the model's price are known.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>Milliseconds from the request's arrival to the end of the answer.</summary>
    public required double LatencyMs { get; init; }

    /// <summary><c>ok</c>, <c>failover</c> (a model other than the routed one answered), <c>rejected</c> (the upstream refused the request) or <c>upstream_error</c>.</summary>
    public required string Outcome { get; init; }
}

/// <summary>One line of <c>feedback-YYYYMMDD.jsonl</c>: a user's verdict on one response of the decision log.</summary>
public sealed record FeedbackEntry
{
    /// <summary>When the feedback arrived (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The response's id (<see cref="DecisionLogEntry.Id"/> or its <see cref="DecisionLogEntry.UpstreamId"/>).</summary>
    public required string ResponseId { get; init; }

    /// <summary><c>1</c> (thumbs up) or <c>-1</c> (thumbs down); null when <see cref="PreferredModel"/> is given.</summary>
    public int? Rating { get; init; }

    /// <summary>The model the user would rather have had answer; null when <see cref="Rating"/> is given.</summary>
    public string? PreferredModel { get; init; }
}

/// <summary>The decision log's JSON: snake_case, nulls left out.</summary>
[JsonSerializable(typeof(DecisionLogEntry))]
[JsonSerializable(typeof(FeedbackEntry))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class DecisionLogJson : JsonSerializerContext;
