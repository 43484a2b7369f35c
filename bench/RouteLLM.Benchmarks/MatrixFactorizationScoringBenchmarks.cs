using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.Benchmarks;

/// <summary>Routing decisions per second of a trained MF router on precomputed 384-dimensional embeddings (embedding excluded).</summary>
public class MatrixFactorizationScoringBenchmarks
{
    private const int EmbeddingDimension = 384;

    private MatrixFactorizationRouterModel _model = null!;
    private string[] _prompts = [];
    private float[] _embeddings = [];
    private float[] _scores = [];

    /// <summary>Prompts per call.</summary>
    [Params(1, 1000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var context = new MLContext(seed: 0);
        var random = new Random(7);
        var embedder = new EmbedderInfo("synthetic-unit-384", EmbeddingDimension);
        var vectors = Enumerable.Range(0, 50).ToDictionary(i => $"p{i}", _ => Enumerable.Range(0, EmbeddingDimension).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
        var battles = Enumerable.Range(0, 2000).Select(i => new Battle($"p{i % 50}", "strong", "weak", i % 3 == 0 ? BattleOutcome.ModelBWins : BattleOutcome.ModelAWins));
        _model = context.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = embedder, StrongModel = "strong", WeakModel = "weak", MaxEpochs = 1,
        }).Fit(new PromptEmbeddingTable(embedder, vectors).LoadBattles(context, battles)).Model;
        _prompts = [.. Enumerable.Range(0, BatchSize).Select(i => $"p{i % 50}")];
        _embeddings = [.. _prompts.SelectMany(p => vectors[p])];
        _scores = new float[BatchSize];
    }

    /// <summary>Scores one batch: P(strong wins) for each prompt.</summary>
    [Benchmark]
    public float Score()
    {
        _model.CalculateStrongWinRates(_prompts, _embeddings, _scores);
        return _scores[0];
    }
}
