using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server.DecisionLog;

/// <summary>Turns a routed request into a <see cref="DecisionLogEntry"/> for the writer; does nothing when the log is off.</summary>
internal sealed class DecisionRecorder(DecisionLogWriter writer, UpstreamForwarder upstreams)
{
    /// <summary>Response header: the id that <c>POST /v1/feedback</c> names the response by.</summary>
    public const string ResponseIdHeader = "x-routellm-response-id";

    /// <summary>Gives the response its id (a header) before anything is sent; null when the log is off.</summary>
    public string? Begin(HttpContext context)
    {
        if (!writer.Enabled)
        {
            return null;
        }

        var id = "rllm-" + Guid.NewGuid().ToString("N");
        writer.Remember(id);
        context.Response.Headers[ResponseIdHeader] = id;
        return id;
    }

    /// <summary>Queues the request's entry; <paramref name="model"/> is the upstream that answered (or failed last).</summary>
    public void Record(HttpContext context, string? id, ChatCompletionRequest request, string router, RoutingDecision decision, bool shadow,
        Upstream model, string outcome, long startedTimestamp)
    {
        if (id is null)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        var facts = ResponseFacts.Of(context);
        var usage = context.Features.Get<TokenUsage>();
        var options = writer.Options;
        writer.Write(new DecisionLogEntry
        {
            Time = DateTimeOffset.UtcNow - elapsed,
            Id = id,
            UpstreamId = facts?.UpstreamId,
            Router = router,
            RouterVersion = decision.Router.Version,
            Policy = request.Model,
            Threshold = decision.Threshold,
            StrongWinRate = decision.StrongWinRate,
            Route = decision.RoutesToStrong ? "strong" : "weak",
            Shadow = shadow,
            StrongModel = upstreams.Strong.Model,
            WeakModel = upstreams.Weak.Model,
            Model = model.Model,
            PromptHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.RoutedText))),
            Prompt = options.IncludePrompt ? request.RoutedText : null,
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            CostUsd = usage is not null && model.Price is not null ? usage.Usd : null,
            LatencyMs = elapsed.TotalMilliseconds,
            Outcome = outcome == "ok" && context.Response.StatusCode >= 400 ? "rejected" : outcome,
        });
    }
}
