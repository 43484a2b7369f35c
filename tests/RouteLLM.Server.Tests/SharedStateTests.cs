using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.FakeUpstream;
using RouteLLM.Server.SharedState;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>Two replicas sharing one real redis-server on loopback, as deploy/scale-out-test.sh runs three.</summary>
public sealed class SharedStateTests
{
    // Fake upstream usage: 5 prompt and 3 completion tokens per answer.
    private const decimal StrongAnswerUsd = ((5 * 10m) + (3 * 30m)) / 1_000_000m;
    private const decimal WeakAnswerUsd = ((5 * 0.5m) + (3 * 1.5m)) / 1_000_000m;

    [SkippableFact]
    public async Task A_text_one_replica_scored_is_a_cache_hit_on_the_other()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var first = await StartAsync(Settings(redis));
        await using var second = await StartAsync(Settings(redis, ("RouteLLM:Routers:r:Path", first.RouterPath)));
        using var firstMetrics = Recorder(first);
        using var secondMetrics = Recorder(second);

        using (var scored = await first.PostAsync(Chat("router-r-0.5", "p=0.7 prove it")))
        {
            Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        }

        using var cached = await second.PostAsync(Chat("router-r-0.5", "p=0.7 prove it"));

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal("strong", cached.Headers.GetValues(RouteLLMServer.RouteHeader).Single());
        Assert.Equal(0.7, double.Parse(cached.Headers.GetValues(RouteLLMServer.StrongWinRateHeader).Single(), CultureInfo.InvariantCulture), 5);
        Assert.Equal(1, firstMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "miss")));
        Assert.Equal(1, secondMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "hit")));
        Assert.Equal(0, secondMetrics.Sum("routellm.cache.lookups", ("routellm.cache.result", "miss")));
    }

    [SkippableFact]
    public async Task The_spend_counter_in_redis_is_the_sum_of_the_costs_both_replicas_reported()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var first = await StartAsync(Settings(redis));
        await using var second = await StartAsync(Settings(redis));

        var reported = 0m;
        foreach (var (server, prompt) in new[] { (first, "p=0.9 a"), (second, "p=0.1 b"), (first, "p=0.1 c"), (second, "p=0.8 d") })
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", prompt));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            reported += decimal.Parse(response.Headers.GetValues(TokenUsage.CostHeader).Single(), CultureInfo.InvariantCulture);
        }

        Assert.Equal((2 * StrongAnswerUsd) + (2 * WeakAnswerUsd), reported);
        Assert.Equal(reported, await redis.GlobalSpendUsdAsync(first.App.Services));
    }

    [SkippableFact]
    public async Task A_request_a_load_balancer_retried_on_another_replica_is_counted_once()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var first = await StartAsync(Settings(redis));
        await using var second = await StartAsync(Settings(redis));

        foreach (var (server, requestId) in new[] { (first, "nginx-request-1"), (second, "nginx-request-1"), (second, "nginx-request-2") })
        {
            await PostWithRequestIdAsync(server, requestId);
        }

        Assert.Equal(2 * WeakAnswerUsd, await redis.GlobalSpendUsdAsync(first.App.Services));
    }

    [SkippableFact]
    public async Task An_answer_reaches_the_client_whole_and_only_after_its_spend_is_in_redis()
    {
        // deploy/scale-out-test.sh's SIGKILL: a replica that flushed the headers of a chunked answer, counted it and
        // died before the last chunk cut the client off (nginx cannot retry a started answer) with the cost counted.
        using var redis = await RedisServerProcess.StartAsync();
        await using var server = await StartAsync(Settings(redis));

        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat("router-r-0.5", $"p=0.9 {i}")) };
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var spentWhenTheHeadersArrived = await redis.GlobalSpendUsdAsync(server.App.Services);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((i + 1) * StrongAnswerUsd, spentWhenTheHeadersArrived);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal(response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync()).Length);
        }
    }

    [SkippableFact]
    public async Task A_client_past_its_daily_budget_gets_429_with_retry_after_from_every_replica()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var settings = Settings(redis, ("RouteLLM:Redis:Budgets:ClientUsdPerDay", "0.0001"));
        await using var first = await StartAsync(settings);
        await using var second = await StartAsync(settings);

        using (var spending = await first.PostAsync(Chat("router-r-0.5", "p=0.9 costs 0.00014 USD")))
        {
            Assert.Equal(HttpStatusCode.OK, spending.StatusCode);
        }

        using var refused = await second.PostAsync(Chat("router-r-0.5", "p=0.1 cheap, but the budget is spent"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("budget_exceeded", (await ReadErrorAsync(refused))["code"]!.GetValue<string>());
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Assert.Equal(0, second.Upstream.CallsFor(WeakModel));
    }

    [SkippableFact]
    public async Task An_upstream_that_failed_on_one_replica_is_skipped_by_the_other()
    {
        using var redis = await RedisServerProcess.StartAsync();
        var settings = Settings(redis, ("RouteLLM:Server:Failover", "true"), ("RouteLLM:Redis:CooldownFailures", "2"));
        await using var first = await StartAsync(settings);
        await using var second = await StartAsync(settings);
        first.Upstream.Behave(StrongModel, UpstreamBehaviour.Fail500);

        for (var i = 0; i < 2; i++)
        {
            using var failedOver = await first.PostAsync(Chat("router-r-0.5", $"p=0.9 attempt {i}"));
            Assert.Equal(WeakModel, failedOver.Headers.GetValues(RouteLLMServer.ModelHeader).Single());
        }

        using var skipped = await second.PostAsync(Chat("router-r-0.5", "p=0.9 strong, but cooling down"));

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Equal(WeakModel, skipped.Headers.GetValues(RouteLLMServer.ModelHeader).Single());
        Assert.Equal(0, second.Upstream.CallsFor(StrongModel));
        Assert.Equal(2, first.Upstream.CallsFor(StrongModel));
    }

    [SkippableFact]
    public async Task A_conversation_that_went_strong_stays_strong_on_every_replica()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var first = await StartAsync(Settings(redis));
        await using var second = await StartAsync(Settings(redis));

        Assert.Equal(WeakModel, await ModelForAsync(first, "p=0.1 hello", "conversation-1"));
        Assert.Equal(StrongModel, await ModelForAsync(second, "p=0.9 now something hard", "conversation-1"));
        Assert.Equal(StrongModel, await ModelForAsync(first, "p=0.1 thanks", "conversation-1"));
        Assert.Equal(WeakModel, await ModelForAsync(second, "p=0.1 thanks", "conversation-2"));
    }

    [SkippableFact]
    public async Task With_redis_killed_the_server_routes_from_memory_says_so_and_catches_up_when_redis_returns()
    {
        using var redis = await RedisServerProcess.StartAsync();
        await using var server = await StartAsync(Settings(redis));
        using var metrics = Recorder(server);
        await WaitForReadinessAsync(server, HttpStatusCode.OK);
        using (var before = await server.PostAsync(Chat("router-r-0.5", "p=0.9 before")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        redis.Kill();
        var notReady = await WaitForReadinessAsync(server, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(notReady["reasons"]!.AsArray(), r => r!.GetValue<string>().StartsWith("redis unreachable", StringComparison.Ordinal));
        Assert.Equal(0, metrics.Observe("routellm.redis.available"));
        using (var during = await server.PostAsync(Chat("router-r-0.5", "p=0.1 during the outage")))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        await redis.RestartAsync();
        await WaitForReadinessAsync(server, HttpStatusCode.OK);
        Assert.Equal(1, metrics.Observe("routellm.redis.available"));
        using (var after = await server.PostAsync(Chat("router-r-0.5", "p=0.1 after")))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        // The restarted Redis is empty: it holds what the outage and the request after it cost, flushed together.
        Assert.Equal(2 * WeakAnswerUsd, await redis.GlobalSpendUsdAsync(server.App.Services));
    }

    private static Dictionary<string, string?> Settings(RedisServerProcess redis, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RouteLLM:Redis:Configuration"] = redis.Configuration,
        };
        foreach (var (key, value) in RoutingServerHarness.Prices(10, 30, 0.5, 1.5).Concat(more))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static MeasurementRecorder Recorder(RoutingServerHarness server) =>
        new(server.App.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    private static async Task<string> ModelForAsync(RoutingServerHarness server, string prompt, string conversation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat("router-r-0.5", prompt)) };
        request.Headers.Add(SessionStickiness.ConversationHeader, conversation);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues(RouteLLMServer.ModelHeader).Single();
    }

    private static async Task PostWithRequestIdAsync(RoutingServerHarness server, string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat("router-r-0.5", "p=0.1 same")) };
        request.Headers.Add(SharedRouting.RequestIdHeader, requestId);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Polls <c>/health/ready</c> until it answers <paramref name="status"/> (Redis reconnects in the background).</summary>
    private static async Task<JsonObject> WaitForReadinessAsync(RoutingServerHarness server, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await server.Client.GetAsync("/health/ready");
            if (response.StatusCode == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            }

            await Task.Delay(100);
        }
    }
}
