using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.Testing;

/// <summary>
/// Five models whose correctness depends on one planted direction h of the prompt embedding: with x = 4·h·e,
/// P(correct) = σ(bias + slope·x) with (bias, slope) = (0, 2), (0, −2), (1, 0), (−1, 1), (−2, 0). The best model is
/// "pos" where x &gt; 0.5, "neg" where x &lt; −0.5 and "flat" between: a router must read the prompt to pick it. Each call
/// costs 0.001·(model index + 1) + 1e-5 · prompt characters USD, so costs are learnable exactly.
/// </summary>
public sealed class PlantedScores
{
    public static readonly string[] Models = ["pos", "neg", "flat", "mild", "bad"];

    private static readonly (double Bias, double Slope)[] Skills = [(0, 2), (0, -2), (1, 0), (-1, 1), (-2, 0)];

    private readonly float[] _hidden;

    private PlantedScores(float[] hidden, PromptEmbeddingTable embeddings, IReadOnlyList<ScoredPrompt> scores)
    {
        _hidden = hidden;
        Embeddings = embeddings;
        Scores = scores;
    }

    public PromptEmbeddingTable Embeddings { get; }

    public IReadOnlyList<ScoredPrompt> Scores { get; }

    public static EmbedderInfo Embedder { get; } = new("planted", 8);

    public static PlantedScores Create(int prompts, int seed = 1)
    {
        var random = new Random(seed);
        var hidden = RandomVectors.Unit(random, Embedder.Dimension);
        var vectors = new Dictionary<string, float[]>();
        var scores = new List<ScoredPrompt>();
        for (var p = 0; p < prompts; p++)
        {
            var prompt = $"prompt {seed}-{p}" + new string('.', random.Next(200));
            var vector = RandomVectors.Unit(random, Embedder.Dimension);
            vectors[prompt] = vector;
            var truth = TrueQualities(hidden, vector);
            scores.Add(new ScoredPrompt(
                prompt,
                Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => random.NextDouble() < truth[x.i] ? 1.0 : 0.0),
                Models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => Cost(x.i, prompt))));
        }

        return new PlantedScores(hidden, new PromptEmbeddingTable(Embedder, vectors), scores);
    }

    public static double Cost(int model, string prompt) => 0.001 * (model + 1) + 1e-5 * prompt.Length;

    /// <summary>Held-out prompts from the same distribution, with their true P(correct) per model.</summary>
    public (string[] Prompts, float[] Embeddings, double[][] Truth) HeldOut(int count, int seed)
    {
        var random = new Random(seed);
        var prompts = Enumerable.Range(0, count).Select(i => $"held-out {seed}-{i}").ToArray();
        var vectors = prompts.Select(_ => RandomVectors.Unit(random, Embedder.Dimension)).ToArray();
        return (prompts, [.. vectors.SelectMany(v => v)], [.. vectors.Select(v => TrueQualities(_hidden, v))]);
    }

    private static double[] TrueQualities(float[] hidden, float[] vector)
    {
        var x = 4 * hidden.Zip(vector, (h, e) => (double)h * e).Sum();
        return [.. Skills.Select(s => 1 / (1 + Math.Exp(-(s.Bias + s.Slope * x))))];
    }
}
