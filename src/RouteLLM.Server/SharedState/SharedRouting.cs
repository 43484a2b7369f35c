using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.MLNet.Routers;
using RouteLLM.Server.Telemetry;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// What a chat completion asks of the state replicas share: its budget, its cached decision, its conversation's
/// model, the upstreams' cool-downs, and its spend once answered. One object, so that the endpoint stays a sequence
/// of calls.
/// </summary>
internal sealed class SharedRouting(
    DecisionCache decisions,
    SpendLedger spend,
    UpstreamCooldowns cooldowns,
    SessionStickiness sessions,
    ScaleOutMetrics metrics,
    UpstreamForwarder upstreams,
    IOptions<RouteLLMServerOptions> options)
{
    /// <summary>Request header: the id a load balancer gives a client request, kept across its retries (nginx: <c>$request_id</c>).</summary>
    public const string RequestIdHeader = "x-request-id";

    private readonly RouteLLMServerOptions _options = options.Value;

    /// <summary>Null when the client's budgets allow the request; otherwise the 429 to answer (with <c>Retry-After</c> set).</summary>
    public async Task<OpenAIError?> CheckBudgetAsync(HttpContext context)
    {
        if (await spend.CheckAsync(ClientOf(context.Request)).ConfigureAwait(false) is not { } exceeded)
        {
            return null;
        }

        metrics.BudgetRejected(exceeded.Limit);
        var seconds = Math.Max(1, (long)Math.Ceiling(exceeded.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new OpenAIError(
            StatusCodes.Status429TooManyRequests,
            $"The budget '{exceeded.Limit}' is spent; retry after {seconds} s.",
            "insufficient_quota",
            Code: "budget_exceeded");
    }

    /// <summary>The router's decision for <paramref name="text"/>, from the shared cache when any replica has scored it.</summary>
    public ValueTask<RoutingDecision> RouteAsync(PooledRouter router, string text, RoutingThreshold threshold, CancellationToken cancellationToken) =>
        decisions.RouteAsync(router, text, threshold, cancellationToken);

    /// <summary>The router's predictions for <paramref name="text"/>, from the shared cache when any replica has made them.</summary>
    public ValueTask<ModelPredictions> PredictAsync(PooledRouter router, string text, CancellationToken cancellationToken) =>
        decisions.PredictAsync(router, text, cancellationToken);

    /// <summary>
    /// The upstream to call and the one to fail over to: the decision's, moved up to the strong model when the request's
    /// conversation has been there, and swapped when failover is on and the chosen one is cooling down but not the other.
    /// </summary>
    public async Task<(Upstream Routed, Upstream Other)> ChooseAsync(HttpContext context, RoutingDecision decision, Upstream strong, Upstream weak)
    {
        var toStrong = decision.RoutesToStrong;
        if (context.Request.Headers[SessionStickiness.ConversationHeader].ToString() is { Length: > 0 } conversation)
        {
            toStrong = await sessions.StickAsync(Hash(conversation), toStrong).ConfigureAwait(false);
        }

        var (routed, other) = toStrong ? (strong, weak) : (weak, strong);
        if (_options.Failover
            && await cooldowns.IsCoolingDownAsync(routed.Role).ConfigureAwait(false)
            && !await cooldowns.IsCoolingDownAsync(other.Role).ConfigureAwait(false))
        {
            (routed, other) = (other, routed);
        }

        return (routed, other);
    }

    /// <summary>Counts a failure of <paramref name="upstream"/> towards its cool-down.</summary>
    public Task FailedAsync(Upstream upstream, UpstreamFailure failure) => cooldowns.ReportFailureAsync(upstream.Role, failure.RetryAfter);

    /// <summary>Records what <paramref name="upstream"/>'s answer cost, from the usage the relay captured.</summary>
    public async Task AnsweredAsync(HttpContext context, Upstream upstream)
    {
        var usage = context.Features.Get<TokenUsage>();
        metrics.Answered(usage, upstream.Model, upstreams.Strong.Price);
        ChatSpan.Answered(upstream.Model, usage);
        await RecordSpendAsync(context).ConfigureAwait(false);
    }

    /// <summary>Adds the answer's cost (the usage the relay captured) to the client's and the global spend.</summary>
    public async Task RecordSpendAsync(HttpContext context)
    {
        if (context.Features.Get<TokenUsage>() is { } usage)
        {
            await spend.RecordAsync(ClientOf(context.Request), usage, RequestIdOf(context.Request)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <paramref name="order"/> with the candidates whose upstream is cooling down moved to its end, each part in its
    /// order: a failover goes down the ranking past the upstreams other replicas saw failing, and reaches them only last.
    /// </summary>
    public async Task<IReadOnlyList<T>> CoolingDownLastAsync<T>(IReadOnlyList<T> order, Func<T, Upstream> upstreamOf)
    {
        var ready = new List<T>(order.Count);
        var cooling = new List<T>();
        foreach (var candidate in order)
        {
            (await cooldowns.IsCoolingDownAsync(upstreamOf(candidate).Role).ConfigureAwait(false) ? cooling : ready).Add(candidate);
        }

        return [.. ready, .. cooling];
    }

    // The key itself is never stored: a digest names the client in Redis.
    private static string ClientOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Hash(header[7..].Trim()) : "anonymous";
    }

    // A load balancer's request id, the same on each replica it retries the request on; hashed, so any text is a key.
    private static string? RequestIdOf(HttpRequest request) =>
        request.Headers[RequestIdHeader].ToString() is { Length: > 0 } id ? Hash(id) : null;

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);
}
