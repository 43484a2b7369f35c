using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests;

public sealed class RouterPoolTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddRouteLLM_loads_named_routers_and_gives_embedding_routers_the_embedder_from_DI()
    {
        var embedder = new HashingEmbeddingGenerator(dimension: 16);
        var scripted = Save("scripted.zip", ScriptedRouterModel.Create(0.2f, EmbedderInfo.From(embedder)));
        var random = Save("random.zip", TrainRandom(seed: 5));
        using var services = new ServiceCollection()
            .AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embedder)
            .AddRouteLLM(o => o.AddRouter("scripted", scripted).AddRouter("random", random))
            .BuildServiceProvider();

        var pool = services.GetRequiredService<RouterPool>();

        Assert.Equal(["scripted", "random"], pool.Names);
        var decision = await pool.Get("scripted").RouteAsync("p=0.3 a prompt", RoutingThreshold.Fixed(0.25));
        Assert.Equal(0.3f, decision.StrongWinRate);
        Assert.True(decision.RoutesToStrong);
        Assert.True(embedder.Calls > 0);
        Assert.Same(embedder, pool.Get("scripted").Scorer.Embedder);
        Assert.Null(pool.Get("random").Scorer.Embedder);
        var expected = await new RouterScorer(RouterZip.Load(random)).StrongWinRateAsync("hello");
        Assert.Equal(expected, (await pool.Get("random").RouteAsync("hello", RoutingThreshold.Fixed(0.5))).StrongWinRate);
    }

    [Fact]
    public void Options_are_checked_up_front()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.2f));

        Assert.Throws<ArgumentException>(() => Pool(_ => { }));
        Assert.Contains("a@b", Assert.Throws<ArgumentException>(() => Pool(o => o.AddRouter("a@b", path))).Message);
        Assert.Throws<ArgumentException>(() => Pool(o => o.AddRouter("r", path).ReloadDelay = TimeSpan.Zero));
        Assert.Throws<InvalidOperationException>(() => Pool(o => o.AddRouter("r", _directory.File("missing.zip"))));
        using var pool = Pool(o => o.AddRouter("r", path));
        Assert.Contains("Routers: r", Assert.Throws<ArgumentException>(() => pool.Get("other")).Message);
        Assert.False(pool.TryGet("other", out _));
    }

    [Fact]
    public async Task Replacing_the_zip_swaps_in_the_new_version_while_holders_of_the_old_one_keep_it()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.2f));
        using var pool = Pool(o => o.AddRouter("r", path).ReloadDelay = TimeSpan.FromMilliseconds(100));
        var old = pool.Get("r");
        var reloaded = NextReload(pool);

        RouterZip.Save(ScriptedRouterModel.Create(0.9f), path);
        var outcome = await reloaded.WaitAsync(Patience);

        Assert.Null(outcome.Error);
        Assert.Same(outcome.Router, pool.Get("r"));
        Assert.Equal(2, pool.Get("r").Version);
        Assert.Equal(0.9f, (await pool.Get("r").RouteAsync("x", RoutingThreshold.Fixed(0.5))).StrongWinRate);
        Assert.Equal(0.2f, (await old.RouteAsync("x", RoutingThreshold.Fixed(0.5))).StrongWinRate);
    }

    [Fact]
    public async Task A_corrupt_replacement_keeps_the_old_version_serving_and_logs_why()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.2f));
        var logs = new CapturingLoggerProvider();
        using var pool = Pool(o => o.AddRouter("r", path).ReloadDelay = TimeSpan.FromMilliseconds(100), logs.CreateLogger<RouterPool>());
        var reloaded = NextReload(pool);

        var temp = _directory.File("incoming.tmp");
        File.WriteAllBytes(temp, File.ReadAllBytes(path)[..100]);
        File.Move(temp, path, overwrite: true);
        var outcome = await reloaded.WaitAsync(Patience);

        Assert.IsType<RouterFormatException>(outcome.Error);
        Assert.Null(outcome.Router);
        Assert.Equal(1, pool.Get("r").Version);
        Assert.Equal(0.2f, (await pool.Get("r").RouteAsync("x", RoutingThreshold.Fixed(0.5))).StrongWinRate);
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(path, error.Text);
        Assert.Contains("version 1 keeps serving", error.Text);
        Assert.Contains(outcome.Error!.Message, error.Text);
    }

    [Fact]
    public async Task A_burst_of_writes_is_loaded_fewer_times_than_written_and_ends_on_the_last_write()
    {
        const int writes = 6;
        var path = Save("r.zip", ScriptedRouterModel.Create(0f));
        using var pool = Pool(o => o.AddRouter("r", path).ReloadDelay = TimeSpan.FromSeconds(2));
        var reloads = 0;
        var last = new TaskCompletionSource<PooledRouter>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.Reloaded += (_, e) =>
        {
            Interlocked.Increment(ref reloads);
            if (e.Router is { Scorer.Model: ScriptedRouterModel { DefaultScore: writes } })
            {
                last.TrySetResult(e.Router);
            }
        };

        for (var i = 1; i <= writes; i++)
        {
            RouterZip.Save(ScriptedRouterModel.Create(i), path);
        }

        var final = await last.Task.WaitAsync(Patience);

        Assert.Same(final, pool.Get("r"));
        Assert.InRange(Volatile.Read(ref reloads), 1, writes - 1);
    }

    [Fact]
    public async Task Scoring_never_fails_while_the_router_is_reloaded_over_and_over()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.2f));
        using var pool = Pool(o => o.AddRouter("r", path).WatchForChanges = false);
        using var stop = new CancellationTokenSource(Patience);
        var scorers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var seen = new HashSet<float>();
            for (var i = 0; i < 2000; i++)
            {
                seen.Add((await pool.Get("r").RouteAsync($"prompt {i}", RoutingThreshold.Fixed(0.5))).StrongWinRate);
            }

            return seen;
        })).ToArray();

        for (var i = 0; i < 10; i++)
        {
            RouterZip.Save(ScriptedRouterModel.Create(i % 2 == 0 ? 0.9f : 0.2f), path);
            Assert.True(await pool.ReloadAsync("r", stop.Token));
        }

        var seen = (await Task.WhenAll(scorers)).SelectMany(s => s).ToHashSet();
        Assert.Subset(new HashSet<float> { 0.2f, 0.9f }, seen);
        Assert.Equal(11, pool.Get("r").Version);
    }

    [Fact]
    public async Task Calibration_prompts_turn_a_strong_share_into_RouteLLMs_quantile_threshold()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.5f));
        var prompts = _directory.File("prompts.txt");
        File.WriteAllLines(prompts, ["p=0.1", "p=0.2", "", "p=0.3", "p=0.4", "p=0.5", "p=0.6", "p=0.7", "p=0.8", "p=0.9", "p=1.0"]);
        using var pool = Pool(o => o.AddRouter("r", path, prompts));
        var router = pool.Get("r");

        // Ten scores 0.1..1.0; the 0.7-quantile lies at position 0.7 × 9 = 6.3: 0.7 + 0.3 × (0.8 − 0.7) = 0.73.
        Assert.Equal(10, router.CalibrationPromptCount);
        Assert.Equal(0.73f, router.ResolveThreshold(RoutingThreshold.ForStrongShare(0.3)), 5);
        Assert.Equal(0.42f, router.ResolveThreshold(RoutingThreshold.Fixed(0.42)));
        Assert.True((await router.RouteAsync("p=0.8", RoutingThreshold.ForStrongShare(0.3))).RoutesToStrong);
        Assert.False((await router.RouteAsync("p=0.7", RoutingThreshold.ForStrongShare(0.3))).RoutesToStrong);

        using var uncalibrated = Pool(o => o.AddRouter("r", path));
        Assert.Throws<InvalidOperationException>(() => uncalibrated.Get("r").ResolveThreshold(RoutingThreshold.ForStrongShare(0.3)));
    }

    [Fact]
    public async Task ReloadAsync_rereads_the_zip_when_file_watching_is_off()
    {
        var path = Save("r.zip", ScriptedRouterModel.Create(0.2f));
        using var pool = Pool(o => o.AddRouter("r", path).WatchForChanges = false);
        RouterZip.Save(ScriptedRouterModel.Create(0.9f), path);

        Assert.Equal(1, pool.Get("r").Version);
        Assert.True(await pool.ReloadAsync("r"));
        Assert.Equal(0.9f, (await pool.Get("r").RouteAsync("x", RoutingThreshold.Fixed(0.5))).StrongWinRate);
        await Assert.ThrowsAsync<ArgumentException>(() => pool.ReloadAsync("other"));
    }

    internal static RouterModel TrainRandom(int seed)
    {
        var ml = new MLContext(seed: 1);
        Battle[] battles = [new("What is 2+2?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins)];
        return ml.Routing().Trainers.Random(new() { Seed = seed }).Fit(ml.Routing().LoadBattles(battles)).Model;
    }

    private static Task<RouterReloadedEventArgs> NextReload(RouterPool pool)
    {
        var next = new TaskCompletionSource<RouterReloadedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.Reloaded += (_, e) => next.TrySetResult(e);
        return next.Task;
    }

    private string Save(string name, RouterModel model)
    {
        var path = _directory.File(name);
        RouterZip.Save(model, path);
        return path;
    }

    private static RouterPool Pool(Action<RouterPoolOptions> configure, ILogger<RouterPool>? logger = null)
    {
        var options = new RouterPoolOptions();
        configure(options);
        return new RouterPool(Options.Create(options), logger);
    }
}
