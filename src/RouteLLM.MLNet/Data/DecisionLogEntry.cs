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

    /// <summary>The model name the client asked for, which names the policy: e.g. <c>router-mf-0.5</c>, <c>router-mf@0.3</c>, <c>shadow-mf-0.5-weak</c>.</summary>
    public required string Policy { get; init; }

    /// <summary>The threshold the win rate was compared with (calibrated, for a share).</summary>
    public required double Threshold { get; init; }

    /// <summary>The router's P(strong model wins) for the request.</summary>
    public required double StrongWinRate { get; init; }

    /// <summary>The router's decision: <c>strong</c> or <c>weak</c> (what it would do even in shadow mode).</summary>
    public required string Route { get; init; }

    /// <summary>Whether the request was sent to a fixed model whatever the decision (shadow mode).</summary>
    public bool Shadow { get; init; }

    /// <summary>The strong model's name, as configured.</summary>
    public required string StrongModel { get; init; }

    /// <summary>The weak model's name, as configured.</summary>
    public required string WeakModel { get; init; }

    /// <summary>The model that answered (after any failover), or the one that failed.</summary>
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

    /// <summary><c>ok</c>, <c>failover</c> (the other model answered), <c>rejected</c> (the upstream refused the request) or <c>upstream_error</c>.</summary>
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
