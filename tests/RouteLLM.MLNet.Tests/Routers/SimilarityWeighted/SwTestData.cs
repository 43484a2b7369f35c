using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.MLNet.Tests.Routers.SimilarityWeighted;

/// <summary>Battles with prompt embeddings as an ML.NET view, and SW routers trained on them.</summary>
internal static class SwTestData
{
    public static IDataView View(MLContext ml, IEnumerable<Battle> battles, Func<string, float[]> embed, int dimension)
    {
        var list = battles.ToList();
        var vectors = list.Select(b => b.Prompt).Distinct().ToDictionary(p => p, embed);
        return new PromptEmbeddingTable(new EmbedderInfo($"test-{dimension}", dimension), vectors).LoadBattles(ml, list);
    }

    public static SimilarityWeightedRouterTrainer.Options Options(int dimension, int tiers, string strong, string weak) => new()
    {
        Embedder = new EmbedderInfo($"test-{dimension}", dimension),
        Tiers = tiers,
        StrongModel = strong,
        WeakModel = weak,
    };

    /// <summary>A seeded unit-free random vector per prompt.</summary>
    public static Func<string, float[]> RandomEmbedder(int dimension, int seed)
    {
        var cache = new Dictionary<string, float[]>();
        var random = new Random(seed);
        return prompt =>
        {
            if (!cache.TryGetValue(prompt, out var vector))
            {
                vector = [.. Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1))];
                cache.Add(prompt, vector);
            }

            return vector;
        };
    }
}
