using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>Exposure, rate, concurrency and failed-authentication limits, and the drain at shutdown.</summary>
public sealed class LimitsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_server_beyond_loopback_without_client_keys_starts_only_when_anonymous_use_is_allowed_and_then_warns()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build("http://0.0.0.0:0", new()));
        Assert.Contains("http://0.0.0.0:0", refused.Message);
        Assert.Contains("--allow-anonymous", refused.Message);
        Assert.Throws<InvalidOperationException>(() => Build("http://127.0.0.1:0;http://[::]:0", new()));

        Assert.Empty(Build("http://0.0.0.0:0", new() { ["RouteLLM:Server:ApiKeys:0"] = "client-key" }));
        Assert.Empty(Build("http://localhost:0;http://[::1]:0", new()));
        var warnings = Build("http://0.0.0.0:0", new() { ["RouteLLM:Server:Limits:AllowAnonymous"] = "true" });
        Assert.Contains(warnings, w => w.Contains("Serving anonymously on http://0.0.0.0:0"));
    }

    [Fact]
    public async Task Wrong_keys_are_throttled_per_address_after_the_failure_limit()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:ApiKeys:0"] = "client-key",
            ["RouteLLM:Server:Limits:FailedAuthenticationsPerMinute"] = "3",
        });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"guess-{i}");
            using var guess = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
            statuses.Add(guess.StatusCode);
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(60), guess.Headers.RetryAfter?.Delta);
                Assert.Equal("too_many_failed_authentications", (await ReadErrorAsync(guess))["code"]!.GetValue<string>());
            }
        }

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "client-key");
        using var right = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        using var health = await server.Client.GetAsync("/health");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel));
    }

    [Fact]
    public async Task Each_client_key_has_its_own_request_rate()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:ApiKeys:0"] = "key-a",
            ["RouteLLM:Server:ApiKeys:1"] = "key-b",
            ["RouteLLM:Server:Limits:RequestsPerMinute"] = "3",
        });

        async Task<HttpStatusCode[]> SendAsync(string key, int count)
        {
            server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var statuses = new HttpStatusCode[count];
            for (var i = 0; i < count; i++)
            {
                using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
                statuses[i] = response.StatusCode;
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
                    Assert.Equal("rate_limit_exceeded", (await ReadErrorAsync(response))["code"]!.GetValue<string>());
                }
            }

            return statuses;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await SendAsync("key-a", 4));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await SendAsync("key-b", 4));
        Assert.Equal(6, server.Upstream.CallsFor(StrongModel));
    }

    [Fact]
    public async Task Beyond_the_concurrency_limit_and_its_queue_requests_get_429_and_the_queued_one_is_served()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Limits:MaxConcurrentRequests"] = "1",
            ["RouteLLM:Server:Limits:QueueLength"] = "1",
        });
        using var gate = new SemaphoreSlim(0);
        server.Upstream.ChunkGate = gate;
        using var timeout = new CancellationTokenSource(Patience);

        // The first stream holds the only slot until its chunks are released.
        using var first = await StreamAsync(server, timeout.Token);
        using var events = new StreamReader(await first.Content.ReadAsStreamAsync(timeout.Token));
        Assert.StartsWith("data: {", await events.ReadLineAsync(timeout.Token));

        // Of the next two, one waits in the queue and the other finds it full.
        var second = server.PostAsync(Chat("router-r-0.5", "p=0.9 second"), timeout.Token);
        var third = server.PostAsync(Chat("router-r-0.5", "p=0.9 third"), timeout.Token);
        var rejected = await Task.WhenAny(second, third).WaitAsync(timeout.Token);
        using (var busy = await rejected)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
            Assert.Equal("server_busy", (await ReadErrorAsync(busy))["code"]!.GetValue<string>());
        }

        gate.Release(10);
        Assert.EndsWith("data: [DONE]", (await events.ReadToEndAsync(timeout.Token)).Trim());
        using var queued = await (rejected == second ? third : second);
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        Assert.Equal(2, server.Upstream.CallsFor(StrongModel));
    }

    [Fact]
    public async Task A_stream_still_running_when_the_drain_time_ends_gets_a_final_error_event_and_a_log_line()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(
            new Dictionary<string, string?> { ["RouteLLM:Server:DrainTimeout"] = "00:00:01", ["RouteLLM:Server:StreamIdleTimeout"] = "00:00:30" }, logs);
        using var gate = new SemaphoreSlim(0);
        server.Upstream.ChunkGate = gate;
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await StreamAsync(server, timeout.Token);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.StartsWith("data: {", await events.ReadLineAsync(timeout.Token));

        var drain = server.App.Services.GetRequiredService<ServerDrainState>();
        Assert.False(drain.IsDraining);
        var stopping = server.App.StopAsync(timeout.Token);
        var rest = (await events.ReadToEndAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await stopping;

        Assert.True(drain.IsDraining);
        var error = JsonNode.Parse(Assert.Single(rest)["data: ".Length..])!["error"]!;
        Assert.Equal("server_shutting_down", error["code"]!.GetValue<string>());
        Assert.Contains("drain time of 1 s", error["message"]!.GetValue<string>());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Text.StartsWith("Cut a stream from upstream 'strong'", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> StreamAsync(RoutingServerHarness server, CancellationToken cancellationToken) =>
        server.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat("router-r-0.5", "p=0.9 long", stream: true)) },
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);

    // Builds (without starting) a server listening on urls; returns its warnings.
    private static List<string> Build(string urls, Dictionary<string, string?> settings)
    {
        using var directory = new TemporaryDirectory();
        RouterZip.Save(ScriptedRouterModel.Create(0.5f), directory.File("r.zip"));
        var logs = new CapturingLoggerProvider();
        var builder = RouteLLMServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["RouteLLM:Routers:r:Path"] = directory.File("r.zip"),
            ["RouteLLM:Server:Strong:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Strong:Model"] = "s",
            ["RouteLLM:Server:Weak:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Weak:Model"] = "w",
        });
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        using var app = RouteLLMServer.Build(builder);
        return [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Text)];
    }
}
