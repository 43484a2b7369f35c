using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

/// <summary>
/// Battles with a planted preference structure: prompts are random unit vectors, and whether "strong" beats "weak"
/// depends only on the sign of the prompt's projection on a hidden direction. Other models ("m02", ...) have random
/// skills, so that the router also has unrelated pairs to learn from.
/// </summary>
internal sealed class SyntheticBattles
{
    public const string Strong = "strong";
    public const string Weak = "weak";

    private readonly float[] _hidden;
    private readonly double _strongBias;

    private SyntheticBattles(float[] hidden, double strongBias, PromptEmbeddingTable embeddings, IReadOnlyList<Battle> battles, IReadOnlyList<string> prompts)
    {
        _hidden = hidden;
        _strongBias = strongBias;
        Embeddings = embeddings;
        Battles = battles;
        Prompts = prompts;
    }

    public PromptEmbeddingTable Embeddings { get; }

    public IReadOnlyList<Battle> Battles { get; }

    public IReadOnlyList<string> Prompts { get; }

    public static EmbedderInfo Embedder(int dimension) => new("synthetic", dimension);

    /// <summary>Creates <paramref name="battleCount"/> battles over <paramref name="promptCount"/> prompts.</summary>
    /// <param name="models">Number of models; 2 means only strong vs weak.</param>
    /// <param name="tieRate">Share of battles recorded as ties.</param>
    /// <param name="strongBias">Logit by which strong beats weak on an average prompt (gold labels have such a gap).</param>
    public static SyntheticBattles Create(
        int promptCount, int battleCount, int dimension = 16, int models = 2, double tieRate = 0, double strongBias = 0, int seed = 1)
    {
        var random = new Random(seed);
        var hidden = UnitVector(random, dimension);
        var names = Enumerable.Range(0, models).Select(i => i switch { 0 => Strong, 1 => Weak, _ => $"m{i:00}" }).ToArray();
        var skills = names.Select((_, i) => i < 2 ? 0.0 : 2 * random.NextDouble() - 1).ToArray();
        var prompts = new List<string>();
        var vectors = new Dictionary<string, float[]>();
        for (var p = 0; p < promptCount; p++)
        {
            var prompt = $"prompt {seed}-{p}";
            prompts.Add(prompt);
            vectors[prompt] = UnitVector(random, dimension);
        }

        var battles = new List<Battle>();
        for (var i = 0; i < battleCount; i++)
        {
            var prompt = prompts[random.Next(promptCount)];
            var a = random.Next(models);
            var b = (a + 1 + random.Next(models - 1)) % models;
            var strongAdvantage = StrongAdvantage(hidden, strongBias, vectors[prompt]);
            var logit = skills[a] - skills[b] + Affinity(a) * strongAdvantage - Affinity(b) * strongAdvantage;
            var outcome = random.NextDouble() < tieRate ? BattleOutcome.Tie
                : random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            battles.Add(new Battle(prompt, names[a], names[b], outcome));
        }

        return new SyntheticBattles(hidden, strongBias, new PromptEmbeddingTable(Embedder(dimension), vectors), battles, prompts);
    }

    /// <summary>New prompts from the same distribution, with the embeddings of this set's prompts too.</summary>
    public (IReadOnlyList<string> Prompts, PromptEmbeddingTable Embeddings) HeldOutPrompts(int count, int seed)
    {
        var random = new Random(seed);
        var prompts = Enumerable.Range(0, count).Select(i => $"held-out {seed}-{i}").ToArray();
        var vectors = prompts.ToDictionary(p => p, _ => UnitVector(random, _hidden.Length));
        return (prompts, new PromptEmbeddingTable(Embeddings.Embedder, vectors));
    }

    /// <summary>True when the planted structure makes the strong model the likelier winner on a prompt of <paramref name="embeddings"/>.</summary>
    public bool StrongIsBetter(ReadOnlySpan<float> embedding) => StrongAdvantage(_hidden, _strongBias, embedding) > 0;

    private static double StrongAdvantage(float[] hidden, double strongBias, ReadOnlySpan<float> embedding) =>
        strongBias + 4 * Math.Sqrt(hidden.Length) * Dot(hidden, embedding);

    // Only the strong/weak pair depends on the prompt; the other models have prompt-independent skills.
    private static double Affinity(int model) => model switch { 0 => 0.5, 1 => -0.5, _ => 0 };

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static float[] UnitVector(Random random, int dimension)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
