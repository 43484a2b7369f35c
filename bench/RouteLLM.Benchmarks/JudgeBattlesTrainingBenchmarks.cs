using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.Benchmarks;

/// <summary>
/// MF training on the real judge battles (../shared/data/preferences/alpacaeval_judge_battles.csv, or $ROUTELLM_DATA),
/// with the default options, early stopping included. The 805 prompts are embedded once in the setup with the
/// library's all-MiniLM-L6-v2 embedder, which the measurement excludes.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class JudgeBattlesTrainingBenchmarks
{
    private MLContext _context = null!;
    private IDataView _battles = null!;
    private EmbedderInfo _embedder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(Environment.GetEnvironmentVariable("ROUTELLM_DATA") ?? FindSharedData(), "preferences", "alpacaeval_judge_battles.csv");
        var battles = ArenaBattles.Read(file).Items;
        using var embedder = new MiniLmEmbeddingGenerator();
        var table = PromptEmbeddingTable.CreateAsync(embedder, battles.Select(b => b.Prompt)).GetAwaiter().GetResult();
        _context = new MLContext(seed: 0);
        _embedder = table.Embedder;
        _battles = table.LoadBattles(_context, battles);
    }

    /// <summary>Trains with the defaults: up to 100 epochs, stopping 10 epochs after the best validation loss.</summary>
    [Benchmark]
    public MatrixFactorizationRouterModel Train() =>
        _context.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options { Embedder = _embedder }).Fit(_battles).Model;

    private static string FindSharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "preferences")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The judge battles were not found: set ROUTELLM_DATA to the data folder (e.g. ../shared/data).");
    }
}
