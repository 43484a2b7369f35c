using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Evaluation;

/// <summary>Small benchmarks built in code for evaluation tests.</summary>
internal static class Benchmarks
{
    public const string Strong = "gpt-4-1106-preview";
    public const string Weak = "mixtral-8x7b-instruct-v0.1";

    /// <summary>A router over this benchmark's pair that reads no embeddings and answers from a table of scores.</summary>
    public static ScriptedRouterModel Router(Dictionary<string, float> scores) =>
        ScriptedRouterModel.Create(float.NaN, scores: scores, strongModel: Strong, weakModel: Weak);

    public static BenchmarkData Create(IReadOnlyList<BenchmarkPrompt> prompts, params string[] contaminated) =>
        new("test", Strong, Weak, prompts, new HashSet<string>(contaminated), new Dictionary<string, int>());

    /// <summary>
    /// A 0/1 benchmark: the strong model is right with probability <paramref name="strongRight"/>, the weak one with
    /// <paramref name="weakRight"/>, independently per prompt.
    /// </summary>
    public static BenchmarkPrompt[] Binary(int count, int seed, double strongRight = 0.8, double weakRight = 0.6)
    {
        var random = new Random(seed);
        return
        [
            .. Enumerable.Range(0, count).Select(i => new BenchmarkPrompt(
                $"question {i}", random.NextDouble() < strongRight ? 1 : 0, random.NextDouble() < weakRight ? 1 : 0)),
        ];
    }

    /// <summary>Scores that see the strong model's advantage through noise: higher where it gains more.</summary>
    public static float[] InformativeScores(IReadOnlyList<BenchmarkPrompt> prompts, int seed)
    {
        var random = new Random(seed);
        return [.. prompts.Select(p => (float)(0.5 + 0.25 * (p.StrongQuality - p.WeakQuality) + 0.2 * random.NextDouble()))];
    }
}
