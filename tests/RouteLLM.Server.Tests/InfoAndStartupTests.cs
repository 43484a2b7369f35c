using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class InfoAndStartupTests
{
    [Fact]
    public async Task Models_lists_the_configured_names_and_health_the_router_versions()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Models:0"] = "router-r-0.11593",
            ["RouteLLM:Server:Models:1"] = "router-r@0.5",
            ["RouteLLM:Server:Models:2"] = "shadow-r@0.5-weak",
        });
        RouterZip.Save(ScriptedRouterModel.Create(0.4f), server.RouterPath);
        Assert.True(await server.Routers.ReloadAsync("r"));

        var models = (await server.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;
        var health = (await server.Client.GetFromJsonAsync<JsonObject>("/health"))!;

        Assert.Equal("list", models["object"]!.GetValue<string>());
        Assert.Equal(["router-r-0.11593", "router-r@0.5", "shadow-r@0.5-weak"], models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(models["data"]!.AsArray(), m => Assert.Equal("routellm", m!["owned_by"]!.GetValue<string>()));
        Assert.Equal("online", health["status"]!.GetValue<string>());
        var routers = health["routers"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>());
        Assert.Equal(2, routers["r"]!["version"]!.GetValue<int>());
        Assert.Equal(10, routers["r"]!["calibration_prompts"]!.GetValue<int>());
        Assert.Equal(1, routers["plain"]!["version"]!.GetValue<int>());
        Assert.Equal("scripted", routers["plain"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_list_models_offers_each_router_at_one_half()
    {
        await using var server = await StartAsync();

        var models = (await server.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;

        // Configuration lists routers in key order.
        Assert.Equal(["router-plain-0.5", "router-r-0.5"], models["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Metrics_count_routes_per_router_failovers_and_latencies()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" });
        var meterFactory = server.App.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
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
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (measurements) measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))); });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => { lock (measurements) measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))); });
        listener.Start();

        foreach (var p in new[] { "0.9", "0.8", "0.7", "0.1", "0.2" })
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", $"p={p} x"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        server.Upstream.Behave(StrongModel, UpstreamBehaviour.Fail500);
        using (var failedOver = await server.PostAsync(Chat("router-plain-0.5", "p=0.9 x")))
        {
            Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
        }

        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> seen;
        lock (measurements)
        {
            seen = [.. measurements];
        }

        double Count(string instrument, params (string Key, string Value)[] tags) =>
            seen.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);
        Assert.Equal(3, Count("routellm.routing.decisions", ("routellm.router", "r"), ("routellm.route", "strong")));
        Assert.Equal(2, Count("routellm.routing.decisions", ("routellm.router", "r"), ("routellm.route", "weak")));
        Assert.Equal(1, Count("routellm.routing.decisions", ("routellm.router", "plain"), ("routellm.route", "strong")));
        Assert.Equal(1, Count("routellm.upstream.failovers", ("routellm.from", "strong"), ("routellm.to", "weak")));
        Assert.Equal(6, seen.Count(m => m.Instrument == "routellm.routing.duration"));
        Assert.Equal(4, seen.Count(m => m.Instrument == "routellm.upstream.duration" && Equals(m.Tags["routellm.upstream"], "strong")));
        Assert.Single(seen, m => m.Instrument == "routellm.upstream.duration" && Equals(m.Tags["routellm.outcome"], "error"));
        Assert.All(seen.Where(m => m.Instrument.EndsWith(".duration", StringComparison.Ordinal)), m => Assert.True(m.Value > 0));
    }

    [Fact]
    public async Task A_router_that_reads_embeddings_scores_with_the_embedder_registered_in_the_app()
    {
        var embedder = new HashingEmbeddingGenerator(dimension: 8);
        await using var server = await StartAsync(configure: (builder, directory) =>
        {
            RouterZip.Save(ScriptedRouterModel.Create(0.2f, EmbedderInfo.From(embedder)), directory.File("embedded.zip"));
            builder.Configuration["RouteLLM:Routers:embedded:Path"] = directory.File("embedded.zip");
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embedder);
        });

        using var response = await server.PostAsync(Chat("router-embedded-0.5", "p=0.9 needs the big model"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("strong", response.Headers.GetValues(RouteLLMServer.RouteHeader).Single());
        Assert.True(embedder.Calls > 0);
    }

    [Fact]
    public void The_server_listens_on_loopback_by_default()
    {
        var builder = RouteLLMServer.CreateBuilder([]);

        Assert.Equal(RouteLLMServer.DefaultUrl, builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        Assert.StartsWith("http://127.0.0.1:", RouteLLMServer.DefaultUrl);
    }

    [Fact]
    public void A_misconfigured_server_does_not_start()
    {
        var badUpstream = Assert.Throws<OptionsValidationException>(() => Build(new()
        {
            ["RouteLLM:Routers:r:Path"] = "{router}",
            ["RouteLLM:Server:Strong:BaseUrl"] = "not a url",
            ["RouteLLM:Server:Weak:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:UpstreamTimeout"] = "-00:00:01",
        }));
        Assert.Contains("RouteLLM:Server:Strong:BaseUrl must be an absolute http(s) URL", badUpstream.Message);
        Assert.Contains("RouteLLM:Server:Strong:Model is required", badUpstream.Message);
        Assert.Contains("RouteLLM:Server:UpstreamTimeout must be positive", badUpstream.Message);

        var upstreams = new Dictionary<string, string?>
        {
            ["RouteLLM:Server:Strong:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Strong:Model"] = "s",
            ["RouteLLM:Server:Weak:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Weak:Model"] = "w",
        };
        var missingZip = Assert.Throws<InvalidOperationException>(() => Build(new(upstreams) { ["RouteLLM:Routers:r:Path"] = "{dir}/missing.zip" }));
        Assert.Contains("missing.zip", missingZip.Message);
        var badModel = Assert.Throws<InvalidOperationException>(() => Build(new(upstreams) { ["RouteLLM:Routers:r:Path"] = "{router}", ["RouteLLM:Server:Models:0"] = "router-x-0.5" }));
        Assert.Contains("router 'x', which is not configured", badModel.Message);
        var badShadow = Assert.Throws<InvalidOperationException>(() => Build(new(upstreams) { ["RouteLLM:Routers:r:Path"] = "{router}", ["RouteLLM:Server:Models:0"] = "shadow-x-0.5-weak" }));
        Assert.Contains("'shadow-x-0.5-weak' names router 'x', which is not configured", badShadow.Message);
    }

    [Fact]
    public void A_settings_file_is_read_before_the_environment_and_the_command_line()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("routellm.json");
        File.WriteAllText(file, """{ "RouteLLM": { "Server": { "Failover": true, "Strong": { "Model": "from-file" }, "Weak": { "Model": "from-file" } } } }""");

        var builder = RouteLLMServer.CreateBuilder(["--RouteLLM:Server:Weak:Model=from-args"], file);

        Assert.Equal("True", builder.Configuration["RouteLLM:Server:Failover"]);
        Assert.Equal("from-file", builder.Configuration["RouteLLM:Server:Strong:Model"]);
        Assert.Equal("from-args", builder.Configuration["RouteLLM:Server:Weak:Model"]);
        var sources = builder.Configuration.Sources.ToList();
        Assert.True(
            sources.FindIndex(s => s is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: "routellm.json" })
            < sources.FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource));
        Assert.Throws<FileNotFoundException>(() => RouteLLMServer.CreateBuilder([], directory.File("missing.json")));
    }

    private static void Build(Dictionary<string, string?> settings)
    {
        using var directory = new TemporaryDirectory();
        var router = directory.File("r.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.5f), router);
        var builder = RouteLLMServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings.ToDictionary(
            s => s.Key, s => s.Value?.Replace("{router}", router).Replace("{dir}", directory.Path)));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        using var app = RouteLLMServer.Build(builder);
    }
}
