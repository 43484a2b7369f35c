using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.FakeUpstream;
using RouteLLM.Server.SharedState;
using static RouteLLM.Server.Tests.MultiModelServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>
/// Policy model names among three priced upstreams on 127.0.0.1. For the prompt <c>q=0.9,0.8,0.5</c> (qualities of big,
/// mid, small; costs about 0.01, 0.002 and 0.0002 USD): willingness to pay λ = 20 scores big 0.9 − 0.2 = 0.7, mid
/// 0.8 − 0.04 = 0.76, small 0.5 − 0.004 = 0.496, so mid, then big, then small; λ = 1000 scores −9.1, −1.2 and 0.3,
/// so small; a floor of 0.15 allows big and mid (≥ 0.75), so mid; a floor of 0.5 allows all three, so small.
/// </summary>
public sealed class MultiModelServingTests
{
    private const string Prompt = "q=0.9,0.8,0.5 what is 2+2?";

    [Theory]
    [InlineData("router-q-wtp-0", Big)]
    [InlineData("router-q-wtp-20", Mid)]
    [InlineData("router-q-wtp-1000", Small)]
    [InlineData("router-q-floor-0", Big)]
    [InlineData("router-q-floor-0.15", Mid)]
    [InlineData("router-q-floor-0.5", Small)]
    public async Task Each_policy_picks_the_hand_computed_model_and_says_so(string name, string expected)
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync(name, Prompt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(expected, body["model"]!.GetValue<string>());
        Assert.Equal("answered by " + expected, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var routellm = body["routellm"]!.AsObject();
        Assert.Equal(expected, routellm["model"]!.GetValue<string>());
        Assert.Equal(expected, routellm["route"]!.GetValue<string>());
        Assert.Equal(name["router-q-".Length..], routellm["policy"]!.GetValue<string>());
        Assert.Equal(expected == Big ? 0.9 : expected == Mid ? 0.8 : 0.5, routellm["predicted_quality"]!.GetValue<double>(), 6);
        Assert.Equal(EstimatedCost(expected, Prompt), routellm["estimated_cost_usd"]!.GetValue<double>(), 12);
        Assert.Equal(EstimatedCost(Big, Prompt), routellm["most_expensive_cost_usd"]!.GetValue<double>(), 12);

        Assert.Equal(expected, response.Headers.GetValues(RouteLLMServer.ModelHeader).Single());
        Assert.Equal(name["router-q-".Length..], response.Headers.GetValues(ModelHeaders.Policy).Single());
        Assert.Equal(EstimatedCost(expected, Prompt), double.Parse(response.Headers.GetValues(ModelHeaders.EstimatedCost).Single(), CultureInfo.InvariantCulture), 10);
        Assert.Equal(EstimatedCost(Big, Prompt), double.Parse(response.Headers.GetValues(ModelHeaders.MostExpensiveCost).Single(), CultureInfo.InvariantCulture), 10);
        Assert.Equal(1, server.Upstream.CallsFor(expected));
        Assert.Equal(0, server.Upstream.CallsFor(Extra));
    }

    [Fact]
    public async Task A_failing_upstream_sends_the_request_to_the_next_ranked_model()
    {
        await using var server = await StartAsync();
        server.Upstream.Behave(Mid, UpstreamBehaviour.Fail500);

        // λ = 20 ranks mid, big, small: mid fails, big answers.
        using var response = await server.PostAsync("router-q-wtp-20", Prompt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Big, body["model"]!.GetValue<string>());
        Assert.Equal(Mid, body["routellm"]!["route"]!.GetValue<string>());
        Assert.Equal(0.9, body["routellm"]!["predicted_quality"]!.GetValue<double>(), 6);
        Assert.Equal(Mid, response.Headers.GetValues(RouteLLMServer.RouteHeader).Single());
        Assert.Equal((1, 1, 0), (server.Upstream.CallsFor(Mid), server.Upstream.CallsFor(Big), server.Upstream.CallsFor(Small)));

        // Big fails too: small, the third, answers.
        server.Upstream.Behave(Big, UpstreamBehaviour.Fail500);
        using var third = await server.PostAsync("router-q-wtp-20", Prompt);
        Assert.Equal(Small, (await third.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());

        // All fail: 502 naming each.
        server.Upstream.Behave(Small, UpstreamBehaviour.Fail500);
        using var none = await server.PostAsync("router-q-wtp-20", Prompt);
        Assert.Equal(HttpStatusCode.BadGateway, none.StatusCode);
        var message = (await RoutingServerHarness.ReadErrorAsync(none))["message"]!.GetValue<string>();
        Assert.Contains("'mid' failed: returned 500; then 'big' failed: returned 500; then 'small' failed: returned 500", message);
    }

    [Fact]
    public async Task A_refused_connection_fails_over_to_the_next_ranked_model()
    {
        // Upstream 1 is mid: point it at a port where nothing listens.
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Upstreams:1:BaseUrl"] = RefusingUrl() });
        using var response = await server.PostAsync("router-q-floor-0.15", Prompt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Big, (await response.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(Mid));
    }

    [Fact]
    public async Task Without_failover_a_failed_upstream_is_a_502_and_no_other_model_is_called()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "false" });
        server.Upstream.Behave(Mid, UpstreamBehaviour.Fail500);
        using var response = await server.PostAsync("router-q-wtp-20", Prompt);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, server.Upstream.CallsFor(Big) + server.Upstream.CallsFor(Small));
    }

    [Fact]
    public async Task Every_stream_chunk_carries_the_answering_model_and_the_routing_object()
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync("router-q-wtp-1000", Prompt, stream: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject()).ToList();
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal(Small, chunk["model"]!.GetValue<string>());
            Assert.Equal(Small, chunk["routellm"]!["model"]!.GetValue<string>());
            Assert.Equal(0.5, chunk["routellm"]!["predicted_quality"]!.GetValue<double>(), 6);
        });
    }

    [Theory]
    [InlineData("small, mid", Mid)]          // λ = 0 picks the best allowed
    [InlineData("mid-chat", Mid)]            // an alias
    [InlineData("small", Small)]
    public async Task A_request_may_narrow_the_allowed_models(string allowed, string expected)
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync("router-q-wtp-0", Prompt, allowedModels: allowed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("small,gpt-9", "gpt-9", "invalid_route_models")]
    [InlineData(" , ", "names no model", "invalid_route_models")]
    [InlineData("extra", "scores none", "invalid_route_models")]
    public async Task A_bad_allowed_subset_is_a_400_naming_the_model(string allowed, string named, string code)
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync("router-q-wtp-0", Prompt, allowedModels: allowed);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await RoutingServerHarness.ReadErrorAsync(response);
        Assert.Contains(named, error["message"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(Big) + server.Upstream.CallsFor(Mid) + server.Upstream.CallsFor(Small));
    }

    [Theory]
    [InlineData("router-q-wtp-1e3", "invalid_model_name")]
    [InlineData("router-q-wtp--1", "invalid_model_name")]
    [InlineData("router-q-budget-1,5", "invalid_model_name")]
    [InlineData("router-q-floor-1.5", "invalid_policy")]
    [InlineData("router-q-floor-", "invalid_model_name")]
    [InlineData("router-q-floor-.5", "invalid_model_name")]
    public async Task A_malformed_policy_name_is_a_400(string name, string code)
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync(name, Prompt);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await RoutingServerHarness.ReadErrorAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_budget_is_turned_into_lambda_on_the_calibration_prompts()
    {
        await using var server = await StartAsync();

        // Calibration prompts are like the request: mid (≈ 0.002 USD) fits 0.005 from λ = 0.1 / (cost of big − cost of mid) ≈ 12.5 on.
        using var response = await server.PostAsync("router-q-budget-0.005", Prompt);
        var routellm = (await response.Content.ReadFromJsonAsync<JsonObject>())!["routellm"]!;
        Assert.Equal(Mid, routellm["model"]!.GetValue<string>());
        var lambda = 0.1 / (EstimatedCost(Big, CalibrationPrompt) - EstimatedCost(Mid, CalibrationPrompt));
        Assert.Equal(lambda, routellm["lambda"]!.GetValue<double>(), lambda * 1e-6);

        using var rich = await server.PostAsync("router-q-budget-0.02", Prompt);
        Assert.Equal(Big, (await rich.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        using var poor = await server.PostAsync("router-q-budget-0.0001", Prompt);
        var cheapest = (await poor.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Small, cheapest["model"]!.GetValue<string>());
        Assert.Null(cheapest["routellm"]!["lambda"]);    // +∞: no λ meets it, the cheapest model it is.
    }

    [Fact]
    public async Task Metrics_count_requests_usage_tokens_cost_and_savings_per_model()
    {
        await using var server = await StartAsync();
        var meterFactory = server.App.Services.GetRequiredService<IMeterFactory>();
        var seen = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RouteLLMServer.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (seen) seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))); });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => { lock (seen) seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))); });
        listener.Start();

        foreach (var name in new[] { "router-q-wtp-0", "router-q-wtp-20", "router-q-wtp-20", "router-q-wtp-1000" })
        {
            using var response = await server.PostAsync(name, Prompt);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        double Sum(string instrument, params (string Key, string Value)[] tags)
        {
            lock (seen)
            {
                return seen.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);
            }
        }

        Assert.Equal(1, Sum("routellm.requests", ("gen_ai.response.model", Big), ("routellm.policy", "wtp"), ("routellm.outcome", "ok")));
        Assert.Equal(2, Sum("routellm.requests", ("gen_ai.response.model", Mid)));
        Assert.Equal(1, Sum("routellm.requests", ("gen_ai.response.model", Small)));

        // The fake upstream reports 5 prompt and 3 completion tokens per answer.
        Assert.Equal(2 * 5, Sum("gen_ai.client.token.usage", ("gen_ai.response.model", Mid), ("gen_ai.token.type", "input")));
        Assert.Equal(2 * 3, Sum("gen_ai.client.token.usage", ("gen_ai.response.model", Mid), ("gen_ai.token.type", "output")));
        Assert.Equal(2 * ((5 * 0.5) + (3 * 8)) / 1e6, Sum("routellm.cost.usd", ("gen_ai.response.model", Mid), ("routellm.cost.source", "usage")), 15);
        Assert.Equal(((5 * 1) + (3 * 40)) / 1e6, Sum("routellm.cost.usd", ("gen_ai.response.model", Big)), 15);

        // Saved against big, estimated like for like: 0 for big's request, big − mid twice, big − small once.
        var big = EstimatedCost(Big, Prompt);
        Assert.Equal((2 * (big - EstimatedCost(Mid, Prompt))) + (big - EstimatedCost(Small, Prompt)), Sum("routellm.savings.usd", ("routellm.router", "q")), 12);
        Assert.Equal(2, Sum("routellm.routing.decisions", ("routellm.router", "q"), ("routellm.route", Mid)));
    }

    [Fact]
    public async Task Threshold_names_keep_the_strong_weak_pair_beside_the_upstreams()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Strong:Model"] = "pair-strong",
            ["RouteLLM:Server:Weak:Model"] = "pair-weak",
            // The one catalogue prices the pair too.
            ["RouteLLM:Models:4:Model"] = "pair-strong",
            ["RouteLLM:Models:4:InputUsdPerMTok"] = "10",
            ["RouteLLM:Models:4:OutputUsdPerMTok"] = "30",
            ["RouteLLM:Models:4:AvgOutputChars"] = "1000",
            ["RouteLLM:Models:5:Model"] = "pair-weak",
            ["RouteLLM:Models:5:InputUsdPerMTok"] = "0.5",
            ["RouteLLM:Models:5:OutputUsdPerMTok"] = "1.5",
            ["RouteLLM:Models:5:AvgOutputChars"] = "1000",
        }, pairAtUpstream: true);

        // The scripted router's P(strong wins) is its first model's quality: 0.9 ≥ 0.5 goes to the pair's strong model.
        using var pair = await server.PostAsync("router-q-0.5", Prompt);
        Assert.Equal("pair-strong", (await pair.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        Assert.Equal("strong", pair.Headers.GetValues(RouteLLMServer.RouteHeader).Single());
        // The fake's 5 and 3 tokens at the catalogue's $10 / $30 per million.
        Assert.Equal(0.00014m, decimal.Parse(pair.Headers.GetValues(TokenUsage.CostHeader).Single(), CultureInfo.InvariantCulture));
        using var policy = await server.PostAsync("router-q-wtp-1000", Prompt);
        Assert.Equal(Small, (await policy.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream_keys_come_from_the_named_environment_variable()
    {
        await using var server = await StartAsync();
        using var response = await server.PostAsync("router-q-wtp-0", Prompt);
        Assert.Equal("Bearer " + Key, server.Upstream.LastAuthorization);
    }

    [Fact]
    public async Task The_model_list_offers_a_policy_name_per_router_when_no_pair_is_configured()
    {
        await using var server = await StartAsync();
        var models = (await server.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;
        Assert.Equal(["router-q-wtp-0"], models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));

        using var threshold = await server.PostAsync("router-q-0.5", Prompt);
        Assert.Equal(HttpStatusCode.BadRequest, threshold.StatusCode);
        Assert.Contains("policy name", (await RoutingServerHarness.ReadErrorAsync(threshold))["message"]!.GetValue<string>());
    }
}
