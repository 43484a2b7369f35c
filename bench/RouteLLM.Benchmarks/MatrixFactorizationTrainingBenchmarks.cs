using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.Benchmarks;

/// <summary>
/// Training time of the MF router on data shaped like ../shared/data's judge battles: 101,356 battles (382 ties),
/// 100 models with two hubs, 805 prompts, 384-dimensional unit embeddings (precomputed: embedding is excluded).
/// Outcomes follow random model skills, so the time per epoch is the real one; how many epochs early stopping
/// runs depends on the data, so the full RouteLLM schedule (100 epochs, no early stop) is the bound that matters.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class MatrixFactorizationTrainingBenchmarks
{
    private const int Prompts = 805, Models = 100, Battles = 101_356, Ties = 382, EmbeddingDimension = 384;

    private MLContext _context = null!;
    private IDataView _battles = null!;
    private EmbedderInfo _embedder = null!;

    /// <summary>Epochs trained; 100 is RouteLLM's fixed schedule.</summary>
    [Params(1, 100)]
    public int Epochs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = new MLContext(seed: 0);
        var random = new Random(42);
        _embedder = new EmbedderInfo("synthetic-unit-384", EmbeddingDimension);
        var prompts = Enumerable.Range(0, Prompts).Select(i => $"instruction {i}").ToArray();
        var embeddings = prompts.ToDictionary(p => p, _ => SyntheticJudgeData.UnitVector(random, EmbeddingDimension));
        var models = Enumerable.Range(0, Models).Select(i => $"model-{i:000}").ToArray();
        var battles = SyntheticJudgeData.HubBattles(random, models, Battles, Ties, Prompts, i => prompts[i], gap => 1 / (1 + Math.Exp(gap)));

        _battles = new PromptEmbeddingTable(_embedder, embeddings).LoadBattles(_context, battles);
    }

    /// <summary>Reads the battles into a TrainingSet and trains <see cref="Epochs"/> epochs with 10% of prompts held out.</summary>
    [Benchmark]
    public MatrixFactorizationRouterModel Train() =>
        _context.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = _embedder,
            StrongModel = "model-000",
            WeakModel = "model-001",
            MaxEpochs = Epochs,
            EarlyStoppingPatience = Epochs,
        }).Fit(_battles).Model;
}
