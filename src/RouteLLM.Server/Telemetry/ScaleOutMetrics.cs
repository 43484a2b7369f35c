using System.Diagnostics.Metrics;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server.Telemetry;

/// <summary>
/// The instruments of spend, the shared cache, cooldowns and Redis, on the server's meter
/// (<see cref="RouteLLMServer.MeterName"/>), beside <see cref="ServerMetrics"/>' routing and upstream instruments.
/// </summary>
internal sealed class ScaleOutMetrics
{
    private readonly Counter<long> _answers;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _usd;
    private readonly Counter<double> _savedUsd;
    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _cooldowns;
    private readonly Counter<long> _budgetRejections;

    public ScaleOutMetrics(IMeterFactory meterFactory, SharedRedis redis)
    {
        var meter = meterFactory.Create(RouteLLMServer.MeterName);
        _answers = meter.CreateCounter<long>("routellm.model.answers", "{answer}", "Answers relayed, by the model that answered.");
        _tokens = meter.CreateCounter<long>("routellm.model.tokens", "{token}", "Tokens the upstreams reported, by model and type (input or output).");
        _usd = meter.CreateCounter<double>("routellm.model.cost", "USD", "What the answers cost at the catalogue's prices, by model.");
        _savedUsd = meter.CreateCounter<double>(
            "routellm.savings", "USD", "What the answers would have cost more had the strong model given them all (same tokens, strong prices).");
        _cacheLookups = meter.CreateCounter<long>(
            "routellm.cache.lookups", "{lookup}", "Routing decisions looked up in the cache, by result (hit or miss); hit ratio = hit / all.");
        _cooldowns = meter.CreateCounter<long>("routellm.upstream.cooldowns", "{cooldown}", "Cool-downs started, by upstream.");
        _budgetRejections = meter.CreateCounter<long>("routellm.budget.rejections", "{request}", "Requests refused with 429 by a budget, by limit.");
        meter.CreateObservableGauge(
            "routellm.redis.available", () => redis.IsConfigured ? (redis.IsAvailable ? 1 : 0) : -1, "{state}",
            "1 when Redis is reachable, 0 when it is configured but unreachable (routing from memory), -1 when not configured.");
    }

    public void Answered(TokenUsage? usage, string model, CatalogueModel? strong)
    {
        var modelTag = new KeyValuePair<string, object?>("gen_ai.response.model", model);
        _answers.Add(1, modelTag);
        if (usage is null)
        {
            return;
        }

        _tokens.Add(usage.InputTokens, modelTag, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        _tokens.Add(usage.OutputTokens, modelTag, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        _usd.Add((double)usage.Usd, modelTag);
        if (strong is not null)
        {
            var asStrong = ((usage.InputTokens * strong.InputUsdPerMTok) + (usage.OutputTokens * strong.OutputUsdPerMTok)) / 1_000_000;
            _savedUsd.Add(asStrong - (double)usage.Usd, modelTag);
        }
    }

    public void CacheLookup(bool hit) =>
        _cacheLookups.Add(1, new KeyValuePair<string, object?>("routellm.cache.result", hit ? "hit" : "miss"));

    public void CooldownStarted(string upstream) =>
        _cooldowns.Add(1, new KeyValuePair<string, object?>("routellm.upstream", upstream));

    public void BudgetRejected(string limit) =>
        _budgetRejections.Add(1, new KeyValuePair<string, object?>("routellm.budget.limit", limit));
}
