using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.FakeUpstream;
using static RouteLLM.Server.Tests.MultiModelServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>
/// Policy names share the replicas' budgets, spend, cool-downs and decision cache exactly as threshold names do: two replicas of the
/// three priced models, one real redis-server on loopback.
/// </summary>
public sealed class MultiModelSharedStateTests
{
    // Fake upstream usage: 5 prompt and 3 completion tokens per answer, at big's 1 and 40 USD per million.
    private const decimal BigAnswerUsd = ((5 * 1m) + (3 * 40m)) / 1_000_000m;

    // λ = 20 ranks mid, big, small (MultiModelServingTests); λ = 0 picks big; λ = 1000 picks small.
    private const string Prompt = "q=0.9,0.8,0.5 what is 2+2?";

    [SkippableFact]
    public async Task A_policy_answer_is_spent_in_redis_and_a_client_past_its_budget_gets_429_from_every_replica()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var settings = Settings(redis, ("RouteLLM:Redis:Budgets:ClientUsdPerDay", "0.0001"));
        await using var first = await StartAsync(settings);
        await using var second = await StartAsync(settings);

        using (var spending = await first.PostAsync("router-q-wtp-0", Prompt))
        {
            Assert.Equal(HttpStatusCode.OK, spending.StatusCode);
            Assert.Equal(Big, (await spending.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        }

        Assert.Equal(BigAnswerUsd, await redis.GlobalSpendUsdAsync(first.App.Services));
        using var refused = await second.PostAsync("router-q-wtp-1000", "q=0.9,0.8,0.5 cheap, but the budget is spent");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("budget_exceeded", (await RoutingServerHarness.ReadErrorAsync(refused))["code"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Equal(0, second.Upstream.CallsFor(Small) + second.Upstream.CallsFor(Mid) + second.Upstream.CallsFor(Big));
    }

    [SkippableFact]
    public async Task A_model_that_failed_on_one_replica_is_ranked_past_on_the_other()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var settings = Settings(redis, ("RouteLLM:Redis:CooldownFailures", "2"));
        await using var first = await StartAsync(settings);
        await using var second = await StartAsync(settings);
        first.Upstream.Behave(Mid, UpstreamBehaviour.Fail500);

        for (var i = 0; i < 2; i++)
        {
            using var failedOver = await first.PostAsync("router-q-wtp-20", $"{Prompt} attempt {i}");
            Assert.Equal(Big, (await failedOver.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        }

        using var skipped = await second.PostAsync("router-q-wtp-20", $"{Prompt} mid, but cooling down");

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        var body = (await skipped.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Big, body["model"]!.GetValue<string>());
        Assert.Equal(Mid, body["routellm"]!["route"]!.GetValue<string>());
        Assert.Equal((0, 1), (second.Upstream.CallsFor(Mid), second.Upstream.CallsFor(Big)));
        Assert.Equal(2, first.Upstream.CallsFor(Mid));
    }

    [SkippableFact]
    public async Task A_text_one_replica_ranked_is_a_cache_hit_on_the_other_under_any_policy()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var first = await StartAsync(Settings(redis));
        await using var second = await StartAsync(Settings(redis));
        using var firstMetrics = new MeasurementRecorder(first.App.Services.GetRequiredService<IMeterFactory>());
        using var secondMetrics = new MeasurementRecorder(second.App.Services.GetRequiredService<IMeterFactory>());

        using (var ranked = await first.PostAsync("router-q-wtp-0", Prompt))
        {
            Assert.Equal(Big, (await ranked.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
        }

        // The cached predictions are ranked by this request's own policy: λ = 1000 picks the cheapest model.
        using var cached = await second.PostAsync("router-q-wtp-1000", Prompt);

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        var body = (await cached.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Small, body["model"]!.GetValue<string>());
        Assert.Equal(0.5, body["routellm"]!["predicted_quality"]!.GetValue<double>(), 6);
        Assert.Equal(1, firstMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "miss")));
        Assert.Equal(1, secondMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "hit")));
        Assert.Equal(0, secondMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "miss")));
    }

    private static Dictionary<string, string?> Settings(RedisServerProcess redis, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["RouteLLM:Redis:Configuration"] = redis.Configuration };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
