using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task A_chat_completion_is_one_span_with_the_GenAI_attributes_and_the_routing()
    {
        var spans = new List<Activity>();
        // The activity source is process-wide: a router name no other test uses tells this test's span apart.
        await using var server = await StartAsync(configure: (builder, directory) =>
        {
            RouterZip.Save(ScriptedRouterModel.Create(0.2f), directory.File("traced.zip"));
            builder.Configuration["RouteLLM:Routers:traced:Path"] = directory.File("traced.zip");
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        });

        using (var response = await server.PostAsync(Chat("router-traced-0.5", "p=0.7 prove it")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var chat = await WaitForAsync(() => { lock (spans) return spans.SingleOrDefault(s => s.DisplayName == "chat router-traced-0.5"); });
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(RouteLLMServer.MeterName, chat.Source.Name);
        Assert.Equal("router-traced-0.5", chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(StrongModel, chat.GetTagItem("gen_ai.response.model"));
        Assert.Equal(5L, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(3L, chat.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("traced", chat.GetTagItem("routellm.router"));
        Assert.Equal("threshold:0.5", chat.GetTagItem("routellm.policy"));
        Assert.Equal(0.7, (double)chat.GetTagItem("routellm.score")!, 5);
        Assert.Equal("strong", chat.GetTagItem("routellm.decision"));
    }

    [Fact]
    public async Task Metrics_are_scraped_by_Prometheus_from_slash_metrics_without_a_client_key()
    {
        var settings = new Dictionary<string, string?> { ["RouteLLM:Server:ApiKeys:0"] = "client-key" };
        foreach (var (key, value) in RoutingServerHarness.Prices(10, 30, 1, 2))
        {
            settings[key] = value;
        }

        await using var server = await StartAsync(settings);
        server.Client.DefaultRequestHeaders.Authorization = new("Bearer", "client-key");
        using (var response = await server.PostAsync(Chat("router-r-0.5", "p=0.1 easy")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        server.Client.DefaultRequestHeaders.Authorization = null;
        using var scrape = await server.Client.GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("routellm_routing_decisions_total{", text);
        Assert.Contains("routellm_routing_duration_seconds_bucket{", text);
        Assert.Contains("routellm_cache_lookups_total{", text);
        Assert.Contains("routellm_model_tokens_total{", text);
        Assert.Contains("routellm_model_cost", text);
        Assert.Contains($"gen_ai_response_model=\"{WeakModel}\"", text);
        Assert.Contains("routellm_redis_available{", text);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "Nothing was found in time.");
            await Task.Delay(20);
        }
    }
}
