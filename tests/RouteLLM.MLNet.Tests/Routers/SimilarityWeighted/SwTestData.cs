using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.MLNet.Tests.Routers.SimilarityWeighted;

/// <summary>Battles with prompt embeddings as an ML.NET view, and SW routers trained on them.</summary>
internal static class SwTestData
{
    public static IDataView View(MLContext ml, IEnumerable<Battle> battles, Func<string, float[]> embed, int dimension)
    {
        var rows = battles.Select(b => new Row
        {
            Prompt = b.Prompt, ModelA = b.ModelA, ModelB = b.ModelB, Label = b.Label, Weight = b.Weight, Embedding = embed(b.Prompt),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    public static SimilarityWeightedTrainer.Options Options(int dimension, int tiers, string strong, string weak) => new()
    {
        Embedder = new EmbedderInfo($"test-{dimension}", dimension),
        ExampleWeightColumnName = nameof(Row.Weight),
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

    private sealed class Row
    {
        public string Prompt { get; set; } = "";

        public string ModelA { get; set; } = "";

        public string ModelB { get; set; } = "";

        public float Label { get; set; }

        public float Weight { get; set; }

        public float[] Embedding { get; set; } = [];
    }
}
