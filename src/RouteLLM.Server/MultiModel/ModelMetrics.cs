using System.Diagnostics.Metrics;

namespace RouteLLM.Server;

/// <summary>
/// The instruments of policy model names, on the meter <see cref="RouteLLMServer.MeterName"/> beside
/// <see cref="ServerMetrics"/>'s: requests, tokens (the upstream's <c>usage</c>, OpenTelemetry's GenAI histogram) and
/// USD per model, and the USD saved against sending every request to the most expensive model.
/// </summary>
internal sealed class ModelMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<double> _savings;

    public ModelMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RouteLLMServer.MeterName);
        _requests = meter.CreateCounter<long>(
            "routellm.requests", "{request}", "Requests of policy model names, by router, policy kind, answering model and outcome.");
        _tokens = meter.CreateHistogram<long>(
            "gen_ai.client.token.usage", "{token}", "Tokens per answered request, from the upstream's usage, by token type and model.");
        _cost = meter.CreateCounter<double>(
            "routellm.cost.usd", "{USD}", "USD spent per model: the upstream's usage at catalogue prices, or the estimate when it reports none.");
        _savings = meter.CreateCounter<double>(
            "routellm.savings.usd", "{USD}", "Estimated USD saved against sending each request to the most expensive model.");
    }

    /// <summary>Counts an answered request: its tokens, its cost and what it saved.</summary>
    public void Answered(string router, string policyKind, string model, int? promptTokens, int? completionTokens, double costUsd, bool costFromUsage, double savedUsd)
    {
        var modelTag = new KeyValuePair<string, object?>("gen_ai.response.model", model);
        _requests.Add(1, new("routellm.router", router), new("routellm.policy", policyKind), modelTag, new("routellm.outcome", "ok"));
        if (promptTokens is { } input)
        {
            _tokens.Record(input, new("gen_ai.token.type", "input"), new("gen_ai.operation.name", "chat"), modelTag);
        }

        if (completionTokens is { } output)
        {
            _tokens.Record(output, new("gen_ai.token.type", "output"), new("gen_ai.operation.name", "chat"), modelTag);
        }

        _cost.Add(costUsd, modelTag, new("routellm.cost.source", costFromUsage ? "usage" : "estimate"));
        _savings.Add(savedUsd, new KeyValuePair<string, object?>("routellm.router", router));
    }

    /// <summary>Counts a request that no upstream answered.</summary>
    public void Failed(string router, string policyKind) =>
        _requests.Add(1, new("routellm.router", router), new("routellm.policy", policyKind), new("gen_ai.response.model", "none"), new("routellm.outcome", "failed"));
}
