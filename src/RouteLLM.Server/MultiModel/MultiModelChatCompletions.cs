using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.DecisionLog;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server;

/// <summary>
/// Serves a policy model name (<see cref="PolicyModelName"/>): ranks the upstreams' models for the request, relays it
/// to the first and, when configured, down the ranking while upstreams fail; counts tokens, USD and savings. A shadow
/// name (<see cref="ShadowPolicyModelName"/>) is ranked and logged alike, but relayed to its fixed model first. Budgets,
/// spend and upstream cool-downs are the ones threshold names share across replicas (<see cref="SharedRouting"/>).
/// </summary>
internal sealed partial class MultiModelChatCompletions(
    RouterPool routers,
    ServedModels models,
    UpstreamForwarder forwarder,
    ServerMetrics metrics,
    ModelMetrics modelMetrics,
    DecisionRecorder decisions,
    SharedRouting shared,
    IOptions<RouteLLMServerOptions> options,
    ILogger<MultiModelChatCompletions> logger)
{
    private readonly bool _failover = options.Value.Failover;

    /// <summary>The answer to a policy name when the server has no upstreams to route among.</summary>
    public static OpenAIError NoUpstreams(string model) => new(
        StatusCodes.Status404NotFound,
        $"The model '{OpenAIError.Quote(model)}' names a policy, and this server has no {RouteLLMServerOptions.SectionName}:{nameof(RouteLLMServerOptions.Upstreams)} to route among.",
        Param: "model",
        Code: "model_not_found");

    /// <summary>Ranks the request by <paramref name="policy"/> and relays it; to <paramref name="shadowTarget"/> (a catalogue model) first when it is set.</summary>
    public async Task HandleAsync(HttpContext context, ChatCompletionRequest request, string routerName, ModelPolicy policy, string? shadowTarget)
    {
        if (models.Router is not { } multiModel)
        {
            await NoUpstreams(request.Model).WriteAsync(context);
            return;
        }

        if (!routers.TryGet(routerName, out var router))
        {
            await OpenAIError.UnknownRouter(request.Model, routerName, routers.Names).WriteAsync(context);
            return;
        }

        var (allowed, invalidSubset) = ReadAllowedModels(context.Request.Headers);
        if (invalidSubset is not null)
        {
            await invalidSubset.WriteAsync(context);
            return;
        }

        if (await shared.CheckBudgetAsync(context) is { } overBudget)
        {
            await overBudget.WriteAsync(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        ModelRanking ranking;
        try
        {
            var predictions = await shared.PredictAsync(router, request.RoutedText, context.RequestAborted);
            ranking = await multiModel.RankAsync(router, predictions, request.ConversationText, policy, allowed, context.RequestAborted);
        }
        catch (ArgumentException) when (allowed is not null)
        {
            await OpenAIError.BadRequest(
                $"Router '{routerName}' scores none of the models that {ModelHeaders.AllowedModels} allows ({string.Join(", ", allowed)}).", code: "invalid_route_models").WriteAsync(context);
            return;
        }
        catch (InvalidOperationException e)
        {
            // A budget without calibration prompts, or a router that scores none of the upstreams' models.
            await OpenAIError.BadRequest(e.Message, "model", policy.Kind == ModelPolicyKind.Budget ? "not_calibrated" : "model_not_found").WriteAsync(context);
            return;
        }

        // A shadow's model goes first, then the ranking as the policy would fail over down it.
        var order = ranking.Candidates;
        if (shadowTarget is not null)
        {
            var first = ranking.Candidates.Where(c => c.Model == shadowTarget).ToList();
            if (first.Count == 0)
            {
                var ranked = string.Join(", ", ranking.Candidates.Select(c => models.UpstreamOf(c.Model).Model));
                var allows = allowed is null ? "" : $" and {ModelHeaders.AllowedModels} allows";
                await OpenAIError.BadRequest(
                    $"Model '{OpenAIError.Quote(request.Model)}' sends to '{models.UpstreamOf(shadowTarget).Model}', which router '{routerName}' does not rank for this request (it ranks {ranked}): the model must be one the router scores{allows}.",
                    "model",
                    "model_not_ranked").WriteAsync(context);
                return;
            }

            order = [.. first, .. ranking.Candidates.Where(c => c.Model != shadowTarget)];
        }
        else if (_failover)
        {
            order = await shared.CoolingDownLastAsync(order, c => models.UpstreamOf(c.Model));
        }

        metrics.Routed(routerName, models.UpstreamOf(ranking.Choice.Model).Model, started);
        await ForwardInOrderAsync(context, request, ranking, order, shadowTarget is not null, started);
    }

    private async Task ForwardInOrderAsync(
        HttpContext context, ChatCompletionRequest request, ModelRanking ranking, IReadOnlyList<ModelCandidate> order, bool shadow, long started)
    {
        var responseId = decisions.Begin(context);
        var policyKind = ranking.Policy.ToString().Split('-')[0];
        var reasons = new List<string>();
        var tries = _failover ? order.Count : 1;
        UpstreamFailure? failure = null;
        for (var i = 0; i < tries; i++)
        {
            var candidate = order[i];
            var upstream = models.UpstreamOf(candidate.Model);
            if (i > 0)
            {
                var from = models.UpstreamOf(order[i - 1].Model).Model;
                LogFailover(logger, from, upstream.Model, failure!.Reason);
                metrics.FailedOver(from, upstream.Model);
            }

            var answer = new ModelAnswer(ranking, candidate, models);
            failure = await forwarder.ForwardAsync(context, request, upstream, answer);
            if (failure is null)
            {
                await shared.RecordSpendAsync(context);
                RecordAnswer(ranking, candidate, upstream, answer, policyKind);
                decisions.RecordPolicy(context, responseId, request, ranking, candidate, shadow, i == 0 ? "ok" : "failover", started);
                return;
            }

            await shared.FailedAsync(upstream, failure);
            reasons.Add($"'{upstream.Model}' failed: {failure.Reason}");
        }

        decisions.RecordPolicy(context, responseId, request, ranking, order[tries - 1], shadow, "upstream_error", started);

        modelMetrics.Failed(ranking.Router.Name, policyKind);
        await new OpenAIError(
            StatusCodes.Status502BadGateway,
            $"Upstream {string.Join("; then ", reasons)}.",
            OpenAIError.UpstreamError,
            Code: failure!.TimedOut ? "upstream_timeout" : "upstream_error").WriteAsync(context);
    }

    private void RecordAnswer(ModelRanking ranking, ModelCandidate candidate, Upstream upstream, ModelAnswer answer, string policyKind)
    {
        var fromUsage = answer.PromptTokens is not null && answer.CompletionTokens is not null;
        var cost = fromUsage ? models.CostUsd(candidate.Model, answer.PromptTokens!.Value, answer.CompletionTokens!.Value) : candidate.EstimatedCostUsd;
        modelMetrics.Answered(
            ranking.Router.Name, policyKind, upstream.Model, answer.PromptTokens, answer.CompletionTokens, cost, fromUsage, ranking.MostExpensiveCostUsd - candidate.EstimatedCostUsd);
    }

    private (IReadOnlyCollection<string>? Allowed, OpenAIError? Error) ReadAllowedModels(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(ModelHeaders.AllowedModels, out var values))
        {
            return (null, null);
        }

        var names = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (names.Count == 0)
        {
            return (null, OpenAIError.BadRequest($"Header {ModelHeaders.AllowedModels} names no model; list the allowed models, comma-separated.", code: "invalid_route_models"));
        }

        if (names.FirstOrDefault(n => !models.Router!.TryResolve(n, out _)) is { } unknown)
        {
            return (null, OpenAIError.BadRequest(
                $"Unknown model '{OpenAIError.Quote(unknown)}' in header {ModelHeaders.AllowedModels}; this server routes among {string.Join(", ", models.Router!.Models)}.",
                code: "invalid_route_models"));
        }

        return (names, null);
    }

    [LoggerMessage(31, LogLevel.Warning, "Failing over from upstream '{From}' to the next-ranked '{To}': {Reason}.")]
    private static partial void LogFailover(ILogger logger, string from, string to, string reason);
}
