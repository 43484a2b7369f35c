using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RouteLLM.Server.Health;
using RouteLLM.Server.SharedState;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_answers_at_once_and_ready_once_every_router_has_routed_a_text()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:ApiKeys:0"] = "client-key" });

        using var live = await server.Client.GetAsync("/health/live");
        var ready = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", (await live.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Empty(ready["reasons"]!.AsArray());
    }

    [Fact]
    public void A_replica_is_not_ready_until_warm_nor_once_it_is_draining()
    {
        var lifetime = new StoppableLifetime();
        using var drain = new ServerDrainState(lifetime, Options.Create(new RouteLLMServerOptions()));
        using var redis = new SharedRedis(Options.Create(new RedisOptions()), NullLogger<SharedRedis>.Instance);
        var readiness = new ServerReadiness(drain, redis);

        Assert.Equal(["warming up: the routers' embedders have not run yet"], readiness.NotReadyReasons());
        readiness.MarkWarm();
        Assert.Empty(readiness.NotReadyReasons());
        lifetime.StopApplication();
        Assert.True(drain.IsDraining);
        Assert.Equal(["draining: the server is shutting down"], readiness.NotReadyReasons());
    }

    private static async Task<JsonObject> ReadyAsync(RoutingServerHarness server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await server.Client.GetAsync("/health/ready");
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return body;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            await Task.Delay(50);
        }
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
