using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RouteLLM.FakeUpstream;
using static RouteLLM.Server.Tests.MultiModelServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>
/// Shadow names of multi-model policies (<c>shadow-NAME-KIND-NUMBER-to-MODEL</c>) among three priced upstreams on
/// 127.0.0.1. For the prompt <c>q=0.9,0.8,0.5</c> (see <see cref="MultiModelServingTests"/>): λ = 0 ranks big, mid,
/// small; λ = 20 mid, big, small; λ = 1000 small, mid, big; a floor of 0.15 mid, big, then small.
/// </summary>
public sealed class MultiModelShadowTests
{
    private const string Prompt = "q=0.9,0.8,0.5 what is 2+2?";

    [Theory]
    [InlineData("wtp-20", Big, Mid)]
    [InlineData("wtp-1000", Big, Small)]
    [InlineData("floor-0.15", Small, Mid)]
    [InlineData("wtp-0", "mid-chat", Big)]   // MODEL by the catalogue's alias; mid serves
    public async Task A_shadow_sends_the_request_to_its_model_and_reports_the_policys_choice(string policy, string target, string choice)
    {
        await using var server = await StartAsync();
        var served = target == "mid-chat" ? Mid : target;

        using var shadow = await server.PostAsync($"shadow-q-{policy}-to-{target}", Prompt);
        Assert.Equal(HttpStatusCode.OK, shadow.StatusCode);
        Assert.Equal((1, 1), (server.Upstream.CallsFor(served), server.Upstream.CallsFor(Big) + server.Upstream.CallsFor(Mid) + server.Upstream.CallsFor(Small)));
        var body = (await shadow.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(served, body["model"]!.GetValue<string>());
        Assert.Equal("answered by " + served, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var routellm = body["routellm"]!.AsObject();
        Assert.Equal((choice, served, policy), (routellm["route"]!.GetValue<string>(), routellm["model"]!.GetValue<string>(), routellm["policy"]!.GetValue<string>()));
        Assert.Equal(served == Big ? 0.9 : served == Mid ? 0.8 : 0.5, routellm["predicted_quality"]!.GetValue<double>(), 6);
        Assert.Equal(EstimatedCost(served, Prompt), routellm["estimated_cost_usd"]!.GetValue<double>(), 12);
        Assert.Equal(EstimatedCost(Big, Prompt), routellm["most_expensive_cost_usd"]!.GetValue<double>(), 12);
        Assert.Equal((served, choice), (Header(shadow, RouteLLMServer.ModelHeader), Header(shadow, RouteLLMServer.RouteHeader)));
        Assert.Equal(EstimatedCost(served, Prompt), double.Parse(Header(shadow, ModelHeaders.EstimatedCost), CultureInfo.InvariantCulture), 10);

        // The policy name itself routes the same prompt to the shadow's choice.
        using var routed = await server.PostAsync($"router-q-{policy}", Prompt);
        Assert.Equal((choice, choice), (Header(routed, RouteLLMServer.RouteHeader), Header(routed, RouteLLMServer.ModelHeader)));
    }

    [Fact]
    public async Task The_allowed_models_header_narrows_the_policys_choice_and_must_allow_the_shadows_model()
    {
        await using var server = await StartAsync();

        // λ = 0 among small and mid picks mid; small still serves.
        using var narrowed = await server.PostAsync("shadow-q-wtp-0-to-small", Prompt, allowedModels: "small, mid");
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        Assert.Equal((Mid, Small), (Header(narrowed, RouteLLMServer.RouteHeader), Header(narrowed, RouteLLMServer.ModelHeader)));

        using var notAllowed = await server.PostAsync("shadow-q-wtp-0-to-big", Prompt, allowedModels: "small, mid");
        using var unscored = await server.PostAsync("shadow-q-wtp-0-to-extra", Prompt);
        foreach (var (response, named) in new[] { (notAllowed, "'big'"), (unscored, "'extra'") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await RoutingServerHarness.ReadErrorAsync(response);
            Assert.Equal(("model", "model_not_ranked"), (error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
            Assert.Contains(named, error["message"]!.GetValue<string>());
        }

        Assert.Equal((0, 0, 1), (server.Upstream.CallsFor(Big), server.Upstream.CallsFor(Mid), server.Upstream.CallsFor(Small)));
    }

    [Fact]
    public async Task A_failing_shadow_model_fails_over_down_the_policys_ranking()
    {
        await using var server = await StartAsync();
        server.Upstream.Behave(Small, UpstreamBehaviour.Fail500);

        // λ = 20 ranks mid, big, small: small (the shadow's model) fails, then mid, the policy's first, answers.
        using var response = await server.PostAsync("shadow-q-wtp-20-to-small", Prompt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((Mid, Mid), (Header(response, RouteLLMServer.RouteHeader), Header(response, RouteLLMServer.ModelHeader)));
        Assert.Equal((1, 1, 0), (server.Upstream.CallsFor(Small), server.Upstream.CallsFor(Mid), server.Upstream.CallsFor(Big)));

        // Mid fails too: big, the policy's second, answers.
        server.Upstream.Behave(Mid, UpstreamBehaviour.Fail500);
        using var second = await server.PostAsync("shadow-q-wtp-20-to-small", Prompt);
        Assert.Equal(Big, Header(second, RouteLLMServer.ModelHeader));
    }

    [Fact]
    public async Task Without_failover_a_failing_shadow_model_is_a_502_and_no_other_model_is_called()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "false" });
        server.Upstream.Behave(Small, UpstreamBehaviour.Fail500);

        using var response = await server.PostAsync("shadow-q-wtp-20-to-small", Prompt);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("'small' failed: returned 500", (await RoutingServerHarness.ReadErrorAsync(response))["message"]!.GetValue<string>());
        Assert.Equal((1, 0, 0), (server.Upstream.CallsFor(Small), server.Upstream.CallsFor(Mid), server.Upstream.CallsFor(Big)));
    }

    [Theory]
    [InlineData("shadow-q-wtp-20", 400, "invalid_model_name", "names no model to send to")]
    [InlineData("shadow-q-wtp-20-weak", 400, "invalid_model_name", "names no model to send to")]
    [InlineData("shadow-q-wtp-abc-to-big", 400, "invalid_model_name", "'abc' is not a plain decimal")]
    [InlineData("shadow-q-wtp--1-to-big", 400, "invalid_model_name", "'-1' is not a plain decimal")]
    [InlineData("shadow-q-floor-1.5-to-big", 400, "invalid_policy", "floor 1.5 is out of range")]
    [InlineData("shadow-q-wtp-20-to-gpt-9", 404, "model_not_found", "sends to 'gpt-9', which this server does not route among")]
    [InlineData("shadow-q-wtp-20-to-", 404, "model_not_found", "sends to ''")]
    [InlineData("shadow-nope-wtp-20-to-big", 404, "model_not_found", "names router 'nope'")]
    public async Task A_bad_shadow_name_is_a_4xx_naming_the_model_field(string name, int status, string code, string message)
    {
        await using var server = await StartAsync();

        using var response = await server.PostAsync(name, Prompt);

        Assert.Equal(status, (int)response.StatusCode);
        var error = await RoutingServerHarness.ReadErrorAsync(response);
        Assert.Equal(("model", code), (error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(Big) + server.Upstream.CallsFor(Mid) + server.Upstream.CallsFor(Small));
    }

    [Theory]
    [InlineData("big")]
    [InlineData("gpt-9")]
    public async Task A_name_of_a_hundred_thousand_readings_is_answered_with_a_short_404(string end)
    {
        await using var server = await StartAsync();

        // Read at every "-to-", such a name would cost time in the square of its length.
        using var response = await server.PostAsync("shadow-" + string.Concat(Enumerable.Repeat("q-wtp-1-to-", 100_000)) + end, Prompt);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 1000);
    }

    [Fact]
    public async Task A_name_that_reads_two_ways_is_refused_naming_both()
    {
        // A fifth model whose name holds "-to-": the name reads as router q at λ = 1 to 'x-wtp-2-to-small', and as router
        // 'q-wtp-1-to-x' at λ = 2 to small.
        const string Odd = "x-wtp-2-to-small";
        var settings = new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Upstreams:4:BaseUrl"] = RefusingUrl(),
            ["RouteLLM:Server:Upstreams:4:Model"] = Odd,
            ["RouteLLM:Server:Upstreams:4:ApiKeyVariable"] = KeyVariable,
        };
        foreach (var (key, value) in ServerHarness.CatalogueEntry(4, Odd, 1, 1, 400))
        {
            settings[key] = value;
        }

        await using var server = await StartAsync(settings);
        using var response = await server.PostAsync($"shadow-q-wtp-1-to-{Odd}", Prompt);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await RoutingServerHarness.ReadErrorAsync(response))["message"]!.GetValue<string>();
        Assert.Contains($"router 'q' wtp-1 to '{Odd}' and as router 'q-wtp-1-to-x' wtp-2 to 'small'", message);
    }

    [Fact]
    public async Task The_model_list_offers_the_shadow_names_it_is_given()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Models:0"] = "router-q-wtp-20",
            ["RouteLLM:Server:Models:1"] = "shadow-q-wtp-20-to-big",
        });

        var models = (await server.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;

        Assert.Equal(["router-q-wtp-20", "shadow-q-wtp-20-to-big"], models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
}
