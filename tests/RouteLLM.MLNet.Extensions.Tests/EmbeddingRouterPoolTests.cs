using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests;

[CollectionDefinition(Name)]
public sealed class EmbeddingRouterTestGroup : ICollectionFixture<EmbeddingRouterFixture>
{
    public const string Name = "Embedding routers";
}

[Collection(EmbeddingRouterTestGroup.Name)]
public sealed class EmbeddingRouterPoolTests(EmbeddingRouterFixture routers) : IDisposable
{
    private static readonly string[] Unseen =
    [
        "Prove that there are infinitely many prime numbers.",
        "Hi! Hope you are having a lovely afternoon.",
    ];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task MF_and_SW_routers_get_one_local_MiniLM_and_score_exactly_as_with_the_embedder_they_were_trained_with()
    {
        using var pool = Pool(o => o.AddRouter("mf", routers.MatrixFactorizationPath).AddRouter("sw", routers.SimilarityWeightedPath));

        var mf = pool.Get("mf");
        var sw = pool.Get("sw");

        var local = Assert.IsType<MiniLmEmbeddingGenerator>(mf.Scorer.Embedder);
        Assert.NotSame(routers.Embedder, local);
        Assert.Same(local, sw.Scorer.Embedder);
        Assert.Equal(routers.Embedder.ModelId, local.ModelId);
        foreach (var (router, path) in new[] { (mf, routers.MatrixFactorizationPath), (sw, routers.SimilarityWeightedPath) })
        {
            var expected = await new RouterScorer(RouterZip.Load(path), routers.Embedder).StrongWinRatesAsync(Unseen);
            var hard = await router.RouteAsync(Unseen[0], RoutingThreshold.Fixed(0.5));
            var easy = await router.RouteAsync(Unseen[1], RoutingThreshold.Fixed(0.5));

            Assert.Equal(expected, new[] { hard.StrongWinRate, easy.StrongWinRate });
            Assert.True(hard.StrongWinRate > easy.StrongWinRate, $"{router.Name}: the proof scores {hard.StrongWinRate}, the greeting {easy.StrongWinRate}");
        }
    }

    [Fact]
    public async Task Reloads_keep_the_shared_embedder_and_disposing_the_pool_disposes_it()
    {
        var path = _directory.File("mf.zip");
        File.Copy(routers.MatrixFactorizationPath, path);
        var pool = Pool(o => o.AddRouter("mf", path).WatchForChanges = false);
        var embedder = pool.Get("mf").Scorer.Embedder!;

        Assert.True(await pool.ReloadAsync("mf"));
        Assert.Equal(2, pool.Get("mf").Version);
        Assert.Same(embedder, pool.Get("mf").Scorer.Embedder);

        pool.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => embedder.GenerateAsync(["after the pool"]));
        Assert.Single(await routers.Embedder.GenerateAsync(["the fixture's embedder is not the pool's"]));
    }

    [Fact]
    public async Task A_registered_embedder_serves_the_routers_trained_with_it_and_the_local_one_the_others()
    {
        var hashing = new HashingEmbeddingGenerator(dimension: 16);
        var scripted = _directory.File("scripted.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.2f, EmbedderInfo.From(hashing)), scripted);
        using var services = new ServiceCollection()
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(hashing)
            .AddRouteLLM(o =>
            {
                o.AddRouter("scripted", scripted).AddRouter("mf", routers.MatrixFactorizationPath);
                o.CacheDirectory = routers.CacheDirectory;
            })
            .BuildServiceProvider();
        var pool = services.GetRequiredService<RouterPool>();

        Assert.Same(hashing, pool.Get("scripted").Scorer.Embedder);
        Assert.IsType<MiniLmEmbeddingGenerator>(pool.Get("mf").Scorer.Embedder);
        await pool.Get("mf").RouteAsync(Unseen[0], RoutingThreshold.Fixed(0.5));
        Assert.Equal(0, hashing.Calls);

        using var registeredMiniLm = new ServiceCollection()
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(routers.Embedder)
            .AddRouteLLM(o => o.AddRouter("mf", routers.MatrixFactorizationPath))
            .BuildServiceProvider();
        Assert.Same(routers.Embedder, registeredMiniLm.GetRequiredService<RouterPool>().Get("mf").Scorer.Embedder);
    }

    [Fact]
    public void A_router_whose_embedder_is_neither_registered_nor_local_stops_the_pool_naming_it()
    {
        var path = _directory.File("remote.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.2f, new EmbedderInfo("text-embedding-3-small", 1536)), path);

        var unregistered = Assert.Throws<InvalidOperationException>(() => Pool(o => o.AddRouter("remote", path)));
        var other = Assert.Throws<InvalidOperationException>(() => new RouterPool(
            Options.Create(new RouterPoolOptions().AddRouter("remote", path)), embedder: new HashingEmbeddingGenerator(dimension: 16)));

        Assert.Contains($"Router 'remote' could not be loaded from '{path}'", unregistered.Message);
        Assert.Contains("'text-embedding-3-small' (1536 dimensions), which is not a local embedder, and none is registered", unregistered.Message);
        Assert.Contains("register that embedder as IEmbeddingGenerator<string, Embedding<float>>", unregistered.Message);
        Assert.Contains($"the registered one is '{EmbedderInfo.From(new HashingEmbeddingGenerator(dimension: 16)).Id}'", other.Message);
    }

    [Fact]
    public async Task Calibration_embeddings_are_cached_on_disk_and_request_embeddings_are_not()
    {
        var prompts = _directory.File("calibration.txt");
        string[] calibration = [.. EmbeddingRouterFixture.HardPrompts.Concat(EmbeddingRouterFixture.EasyPrompts).Select(p => $"{p} (calibration)")];
        File.WriteAllLines(prompts, calibration);
        var before = CachedVectors();

        using var pool = Pool(o => o.AddRouter("mf", routers.MatrixFactorizationPath, prompts).AddRouter("sw", routers.SimilarityWeightedPath, prompts));
        var afterLoad = CachedVectors();
        Assert.True(await pool.ReloadAsync("mf"));
        foreach (var request in Unseen.Select(p => $"{p} (a request)"))
        {
            await pool.Get("sw").RouteAsync(request, RoutingThreshold.ForStrongShare(0.5));
        }

        Assert.Equal(before + calibration.Length, afterLoad);
        Assert.Equal(afterLoad, CachedVectors());
        var scores = await new RouterScorer(RouterZip.Load(routers.MatrixFactorizationPath), routers.Embedder).StrongWinRatesAsync(calibration);
        Assert.Equal(ThresholdCalibrator.ForStrongShare(scores, 0.25), pool.Get("mf").ResolveThreshold(RoutingThreshold.ForStrongShare(0.25)));
        Assert.Equal(calibration.Length, pool.Get("mf").CalibrationPromptCount);
    }

    // Vectors in the MiniLM cache file of the fixture's cache directory (none before the first write).
    private long CachedVectors()
    {
        const int recordSize = 32 + MiniLmEmbeddingGenerator.Dimension * sizeof(float) + 8;
        var directory = Path.Combine(routers.CacheDirectory, "embeddings");
        var file = Directory.Exists(directory) ? Directory.GetFiles(directory, "all-MiniLM-L6-v2*.bin").SingleOrDefault() : null;
        return file is null ? 0 : (new FileInfo(file).Length - 48) / recordSize;
    }

    [Fact]
    public async Task With_request_batching_concurrent_requests_share_one_run_and_keep_their_order_of_difficulty()
    {
        var pool = Pool(o =>
        {
            o.AddRouter("mf", routers.MatrixFactorizationPath);
            o.RequestBatching = new MicroBatchingOptions { MaxBatchSize = 2, Window = MicroBatchingOptions.MaxWindow };
        });
        var mf = pool.Get("mf");
        var batching = Assert.IsType<MicroBatchingEmbeddingGenerator>(mf.Scorer.Embedder);
        var alone = await new RouterScorer(RouterZip.Load(routers.MatrixFactorizationPath), routers.Embedder).StrongWinRatesAsync(Unseen);

        var decisions = await Task.WhenAll(Unseen.Select(prompt => mf.RouteAsync(prompt, RoutingThreshold.Fixed(0.5)).AsTask()));

        Assert.Equal((1, 2), (batching.Batches, batching.BatchedTexts));
        Assert.True(decisions[0].StrongWinRate > decisions[1].StrongWinRate, $"the proof scores {decisions[0].StrongWinRate}, the greeting {decisions[1].StrongWinRate}");
        Assert.Equal(alone[0], decisions[0].StrongWinRate, 0.05f);
        Assert.Equal(alone[1], decisions[1].StrongWinRate, 0.05f);
        pool.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batching.GenerateAsync(["after the pool"]));
    }

    private RouterPool Pool(Action<RouterPoolOptions> configure)
    {
        var options = new RouterPoolOptions { CacheDirectory = routers.CacheDirectory };
        configure(options);
        return new RouterPool(Options.Create(options));
    }
}
