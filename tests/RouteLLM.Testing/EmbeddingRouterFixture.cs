using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.Testing;

/// <summary>
/// Small MF and SW routers, trained on a few battles embedded by the real all-MiniLM-L6-v2 (int8), so that serving
/// tests load routers that read embeddings end to end. On the training battles the strong model wins exam and code
/// prompts and loses small talk. The cache directory holds the quantized model, so that embedders made from it
/// (<see cref="CacheDirectory"/>) load without quantizing again; tests share the fixture through an xunit collection.
/// </summary>
public sealed class EmbeddingRouterFixture : IDisposable
{
    /// <summary>Prompts on which the strong model won.</summary>
    public static readonly string[] HardPrompts =
    [
        "Prove that the square root of two is irrational, step by step.",
        "Write a C function that reverses a singly linked list in place.",
        "Solve the integral of x squared times e to the x from zero to one.",
        "Explain the time complexity of Dijkstra's algorithm with a binary heap.",
        "Derive the closed form of the sum of the first n cubes by induction.",
        "Implement quicksort in Python and explain why its worst case is quadratic.",
    ];

    /// <summary>Prompts on which the weak model won.</summary>
    public static readonly string[] EasyPrompts =
    [
        "Hello there, how are you doing this fine morning?",
        "Tell me a short joke about cats, please.",
        "What is your favourite colour and why do you like it?",
        "Say good night to my little brother for me.",
        "Thanks a lot, that was really helpful, have a nice day!",
        "Can you greet my friends at the party with a cheerful hello?",
    ];

    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mixtral-8x7b-instruct-v0.1";
    private const string Middle = "claude-2";

    private readonly TemporaryDirectory _directory = new();

    /// <summary>Quantizes the embedder into a fresh cache directory and trains and saves both routers.</summary>
    public EmbeddingRouterFixture()
    {
        Directory.CreateDirectory(CacheDirectory);
        Embedder = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { CacheDirectory = CacheDirectory });
        var ml = new MLContext(seed: 1);
        var battles = ml.Routing().LoadBattles(Battles());
        var embedded = ml.Routing().Transforms.EmbedText(Embedder).Fit(battles).Transform(battles);
        var info = EmbedderInfo.From(Embedder);
        var mf = ml.Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = info,
            Dimension = 16,
            LearningRate = 0.01f,
            MaxEpochs = 60,
            ValidationFraction = 0,
            Seed = 3,
        }).Fit(embedded).Model;
        var sw = ml.Routing().Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options { Embedder = info, Tiers = 3 }).Fit(embedded).Model;
        RouterZip.Save(mf, MatrixFactorizationPath);
        RouterZip.Save(sw, SimilarityWeightedPath);
    }

    /// <summary>The cache directory the embedder was quantized into (give it to pools as their CacheDirectory).</summary>
    public string CacheDirectory => _directory.File("cache");

    /// <summary>The embedder the routers were trained with.</summary>
    public MiniLmEmbeddingGenerator Embedder { get; }

    /// <summary>The MF router zip.</summary>
    public string MatrixFactorizationPath => _directory.File("mf.zip");

    /// <summary>The SW router zip.</summary>
    public string SimilarityWeightedPath => _directory.File("sw.zip");

    /// <inheritdoc/>
    public void Dispose()
    {
        Embedder.Dispose();
        _directory.Dispose();
    }

    private static List<Battle> Battles()
    {
        var battles = new List<Battle>();
        foreach (var prompt in HardPrompts)
        {
            battles.Add(new(prompt, Strong, Weak, BattleOutcome.ModelAWins));
            battles.Add(new(prompt, Weak, Strong, BattleOutcome.ModelBWins));
            battles.Add(new(prompt, Middle, Weak, BattleOutcome.ModelAWins));
        }

        foreach (var prompt in EasyPrompts)
        {
            battles.Add(new(prompt, Strong, Weak, BattleOutcome.ModelBWins));
            battles.Add(new(prompt, Weak, Strong, BattleOutcome.ModelAWins));
            battles.Add(new(prompt, Strong, Middle, BattleOutcome.ModelAWins));
        }

        return battles;
    }
}
