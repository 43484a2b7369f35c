using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.Testing;

/// <summary>
/// Battles with a planted preference structure that a trainer must recover. Prompts are random unit vectors; each battle
/// draws a prompt and two distinct models, and model A wins with probability σ(logit): the models' skill difference
/// plus, for the strong/weak pair only, an advantage that depends on the sign of the prompt's projection on a hidden
/// direction. The other models ("m02", ...) have prompt-independent skills, random unless given, so that a router also
/// has unrelated pairs to learn from, and a rating fit has planted strengths to find.
/// </summary>
public sealed class SyntheticBattles
{
    /// <summary>The default strong model (the first model).</summary>
    public const string Strong = "strong";

    /// <summary>The default weak model (the second model).</summary>
    public const string Weak = "weak";

    private readonly float[] _hidden;
    private readonly double _strongBias;
    private readonly double _promptEffect;

    private SyntheticBattles(float[] hidden, double strongBias, double promptEffect, PromptEmbeddingTable embeddings, IReadOnlyList<Battle> battles, IReadOnlyList<string> prompts)
    {
        _hidden = hidden;
        _strongBias = strongBias;
        _promptEffect = promptEffect;
        Embeddings = embeddings;
        Battles = battles;
        Prompts = prompts;
    }

    /// <summary>Each prompt's embedding.</summary>
    public PromptEmbeddingTable Embeddings { get; }

    /// <summary>The battles, in the order drawn.</summary>
    public IReadOnlyList<Battle> Battles { get; }

    /// <summary>The prompts, in the order made.</summary>
    public IReadOnlyList<string> Prompts { get; }

    /// <summary>The embedder the prompts are said to be embedded with.</summary>
    public static EmbedderInfo Embedder(int dimension) => new("synthetic", dimension);

    /// <summary>Creates <paramref name="battleCount"/> battles over <paramref name="promptCount"/> prompts.</summary>
    /// <param name="promptCount">Number of prompts.</param>
    /// <param name="battleCount">Number of battles.</param>
    /// <param name="dimension">Embedding dimension.</param>
    /// <param name="models">Number of models; 2 means only strong vs weak. Ignored when <paramref name="names"/> is set.</param>
    /// <param name="tieRate">Share of battles recorded as ties.</param>
    /// <param name="strongBias">Logit by which strong beats weak on an average prompt (gold labels have such a gap).</param>
    /// <param name="seed">Seed of every draw.</param>
    /// <param name="names">The models' names, the strong and the weak one first; <see cref="Strong"/>, <see cref="Weak"/>, "m02", ... when null.</param>
    /// <param name="skills">Each model's skill (natural-log odds); when null the pair's are 0 and the others' uniform in [−1, 1].</param>
    /// <param name="promptEffect">How strongly the hidden direction sways the pair; 0 makes every prompt alike.</param>
    /// <param name="promptText">The text of prompt i; <c>prompt {seed}-{i}</c> when null.</param>
    /// <param name="weights">When set, each battle's weight is drawn uniformly from this range; 1 otherwise.</param>
    public static SyntheticBattles Create(
        int promptCount, int battleCount, int dimension = 16, int models = 2, double tieRate = 0, double strongBias = 0, int seed = 1,
        IReadOnlyList<string>? names = null, IReadOnlyList<double>? skills = null, double promptEffect = 4, Func<int, string>? promptText = null,
        (float Min, float Max)? weights = null)
    {
        var random = new Random(seed);
        var hidden = RandomVectors.Unit(random, dimension);
        var modelNames = names ?? [.. Enumerable.Range(0, models).Select(i => i switch { 0 => Strong, 1 => Weak, _ => $"m{i:00}" })];
        if (skills is not null && skills.Count != modelNames.Count)
        {
            throw new ArgumentException($"{skills.Count} skills for {modelNames.Count} models.", nameof(skills));
        }

        var modelSkills = skills ?? [.. modelNames.Select((_, i) => i < 2 ? 0.0 : 2 * random.NextDouble() - 1)];
        var prompts = new List<string>();
        var vectors = new Dictionary<string, float[]>();
        for (var p = 0; p < promptCount; p++)
        {
            var prompt = promptText?.Invoke(p) ?? $"prompt {seed}-{p}";
            prompts.Add(prompt);
            vectors[prompt] = RandomVectors.Unit(random, dimension);
        }

        var battles = new List<Battle>();
        for (var i = 0; i < battleCount; i++)
        {
            var prompt = prompts[random.Next(promptCount)];
            var a = random.Next(modelNames.Count);
            var b = (a + 1 + random.Next(modelNames.Count - 1)) % modelNames.Count;
            var strongAdvantage = StrongAdvantage(hidden, strongBias, promptEffect, vectors[prompt]);
            var logit = modelSkills[a] - modelSkills[b] + Affinity(a) * strongAdvantage - Affinity(b) * strongAdvantage;
            var outcome = random.NextDouble() < tieRate ? BattleOutcome.Tie
                : random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            var weight = weights is var (min, max) ? (float)(min + (max - min) * random.NextDouble()) : 1f;
            battles.Add(new Battle(prompt, modelNames[a], modelNames[b], outcome, weight));
        }

        return new SyntheticBattles(hidden, strongBias, promptEffect, new PromptEmbeddingTable(Embedder(dimension), vectors), battles, prompts);
    }

    /// <summary>New prompts from the same distribution, with the embeddings of this set's prompts too.</summary>
    public (IReadOnlyList<string> Prompts, PromptEmbeddingTable Embeddings) HeldOutPrompts(int count, int seed)
    {
        var random = new Random(seed);
        var prompts = Enumerable.Range(0, count).Select(i => $"held-out {seed}-{i}").ToArray();
        var vectors = prompts.ToDictionary(p => p, _ => RandomVectors.Unit(random, _hidden.Length));
        return (prompts, new PromptEmbeddingTable(Embeddings.Embedder, vectors));
    }

    /// <summary>True when the planted structure makes the strong model the likelier winner on a prompt of this <paramref name="embedding"/>.</summary>
    public bool StrongIsBetter(ReadOnlySpan<float> embedding) => StrongAdvantage(_hidden, _strongBias, _promptEffect, embedding) > 0;

    private static double StrongAdvantage(float[] hidden, double strongBias, double promptEffect, ReadOnlySpan<float> embedding) =>
        strongBias + promptEffect * Math.Sqrt(hidden.Length) * Dot(hidden, embedding);

    // Only the strong/weak pair depends on the prompt; the other models have prompt-independent skills.
    private static double Affinity(int model) => model switch { 0 => 0.5, 1 => -0.5, _ => 0 };

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
