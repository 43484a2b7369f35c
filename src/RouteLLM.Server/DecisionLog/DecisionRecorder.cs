using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server.DecisionLog;

/// <summary>Turns a routed request into a <see cref="DecisionLogEntry"/> for the writer; does nothing when the log is off.</summary>
internal sealed class DecisionRecorder(DecisionLogWriter writer, UpstreamForwarder upstreams, ServedModels models)
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

    /// <summary>Queues a strong/weak request's entry; <paramref name="model"/> is the upstream that answered (or failed last).</summary>
    public void Record(HttpContext context, string? id, ChatCompletionRequest request, string router, RoutingDecision decision, bool shadow,
        Upstream model, string outcome, long startedTimestamp)
    {
        if (id is null)
        {
            return;
        }

        writer.Write(Entry(context, id, request, router, decision.Router, decision.RoutesToStrong ? "strong" : "weak", model, outcome, startedTimestamp) with
        {
            Threshold = decision.Threshold,
            StrongWinRate = decision.StrongWinRate,
            Shadow = shadow,
            StrongModel = upstreams.Strong.Model,
            WeakModel = upstreams.Weak.Model,
        });
    }

    /// <summary>
    /// Queues a multi-model policy's entry: <paramref name="answering"/> is the candidate that answered, or failed last;
    /// <paramref name="shadow"/>, whether the request went to a fixed model whatever the ranking chose. Models are named
    /// as their upstreams serve them (as clients see them), not by their catalogue names.
    /// </summary>
    public void RecordPolicy(HttpContext context, string? id, ChatCompletionRequest request, ModelRanking ranking, ModelCandidate answering,
        bool shadow, string outcome, long startedTimestamp)
    {
        if (id is null)
        {
            return;
        }

        var route = models.UpstreamOf(ranking.Choice.Model).Model;
        var answered = models.UpstreamOf(answering.Model);
        writer.Write(Entry(context, id, request, ranking.Router.Name, ranking.Router, route, answered, outcome, startedTimestamp) with
        {
            Shadow = shadow,
            Lambda = ranking.Lambda is { } lambda && double.IsFinite(lambda) ? lambda : null,
            PredictedQuality = answering.PredictedQuality,
            EstimatedCostUsd = answering.EstimatedCostUsd,
            MostExpensiveCostUsd = ranking.MostExpensiveCostUsd,
            Predictions = [.. ranking.Candidates.Select(c => new ModelPrediction(models.UpstreamOf(c.Model).Model, c.PredictedQuality, c.EstimatedCostUsd))],
        });
    }

    private DecisionLogEntry Entry(HttpContext context, string id, ChatCompletionRequest request, string router, PooledRouter version, string route,
        Upstream model, string outcome, long startedTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        var usage = context.Features.Get<TokenUsage>();
        return new DecisionLogEntry
        {
            Time = DateTimeOffset.UtcNow - elapsed,
            Id = id,
            UpstreamId = ResponseFacts.Of(context)?.UpstreamId,
            Router = router,
            RouterVersion = version.Version,
            RouterDigest = RouterDigest.Of(version.Scorer.Model.Manifest),
            Policy = request.Model,
            Route = route,
            Model = model.Model,
            PromptHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.RoutedText))),
            Prompt = writer.Options.IncludePrompt ? request.RoutedText : null,
            InputTokens = usage?.InputTokens,
            OutputTokens = usage?.OutputTokens,
            CostUsd = usage is not null && model.Price is not null ? usage.Usd : null,
            LatencyMs = elapsed.TotalMilliseconds,
            Outcome = outcome == "ok" && context.Response.StatusCode >= 400 ? "rejected" : outcome,
        };
    }
}
