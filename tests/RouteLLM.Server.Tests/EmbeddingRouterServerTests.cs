using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

[CollectionDefinition(Name)]
public sealed class EmbeddingRouterTestGroup : ICollectionFixture<EmbeddingRouterFixture>
{
    public const string Name = "Embedding routers";
}

/// <summary>The server with MF and SW routers that read MiniLM embeddings, and no embedder registered by the app.</summary>
[Collection(EmbeddingRouterTestGroup.Name)]
public sealed class EmbeddingRouterServerTests(EmbeddingRouterFixture routers)
{
    private static readonly string[] HardThenEasy =
    [
        "Prove that there are infinitely many prime numbers.",
        "Hi! Hope you are having a lovely afternoon.",
    ];

    [Fact]
    public async Task MF_and_SW_routers_route_each_request_by_its_MiniLM_embedding()
    {
        string[] calibration = [.. EmbeddingRouterFixture.HardPrompts, .. EmbeddingRouterFixture.EasyPrompts];
        await using var server = await StartAsync(configure: (builder, directory) =>
        {
            File.WriteAllLines(directory.File("calibration.txt"), calibration);
            builder.Configuration["RouteLLM:Routers:mf:Path"] = routers.MatrixFactorizationPath;
            builder.Configuration["RouteLLM:Routers:mf:CalibrationPrompts"] = directory.File("calibration.txt");
            builder.Configuration["RouteLLM:Routers:sw:Path"] = routers.SimilarityWeightedPath;
            builder.Configuration["RouteLLM:CacheDirectory"] = routers.CacheDirectory;
        });

        foreach (var (name, path) in new[] { ("mf", routers.MatrixFactorizationPath), ("sw", routers.SimilarityWeightedPath) })
        {
            var rates = await new RouterScorer(RouterZip.Load(path), routers.Embedder).StrongWinRatesAsync(HardThenEasy);
            var threshold = ((rates[0] + rates[1]) / 2).ToString("R", CultureInfo.InvariantCulture);
            foreach (var (prompt, rate, route, model) in new[] { (HardThenEasy[0], rates[0], "strong", StrongModel), (HardThenEasy[1], rates[1], "weak", WeakModel) })
            {
                using var response = await server.PostAsync(Chat($"router-{name}-{threshold}", prompt));

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(route, Header(response, RouteLLMServer.RouteHeader));
                Assert.Equal(model, (await response.Content.ReadFromJsonAsync<JsonObject>())!["model"]!.GetValue<string>());
                Assert.Equal(rate.ToString("0.#####", CultureInfo.InvariantCulture), Header(response, RouteLLMServer.StrongWinRateHeader));
            }
        }

        var calibrationRates = await new RouterScorer(RouterZip.Load(routers.MatrixFactorizationPath), routers.Embedder).StrongWinRatesAsync(calibration);
        using var share = await server.PostAsync(Chat("router-mf@0.5", HardThenEasy[0]));
        Assert.Equal(HttpStatusCode.OK, share.StatusCode);
        Assert.Equal(
            ThresholdCalibrator.ForStrongShare(calibrationRates, 0.5).ToString("0.#####", CultureInfo.InvariantCulture),
            Header(share, RouteLLMServer.ThresholdHeader));
        var health = (await server.Client.GetFromJsonAsync<JsonObject>("/health"))!["routers"]!.AsArray()
            .ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["kind"]!.GetValue<string>());
        Assert.Equal(RouterZip.Load(routers.MatrixFactorizationPath).Manifest.Kind, health["mf"]);
        Assert.Equal(RouterZip.Load(routers.SimilarityWeightedPath).Manifest.Kind, health["sw"]);
    }

    [Fact]
    public void A_router_whose_embedder_is_neither_registered_nor_local_stops_the_server_at_start()
    {
        using var directory = new TemporaryDirectory();
        RouterZip.Save(ScriptedRouterModel.Create(0.5f, new EmbedderInfo("text-embedding-3-small", 1536)), directory.File("remote.zip"));
        var builder = RouteLLMServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RouteLLM:Routers:remote:Path"] = directory.File("remote.zip"),
            ["RouteLLM:Server:Strong:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Strong:Model"] = "s",
            ["RouteLLM:Server:Weak:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["RouteLLM:Server:Weak:Model"] = "w",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var error = Assert.Throws<InvalidOperationException>(() => RouteLLMServer.Build(builder));

        Assert.Contains("Router 'remote' could not be loaded", error.Message);
        Assert.Contains("'text-embedding-3-small' (1536 dimensions), which is not a local embedder", error.Message);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
