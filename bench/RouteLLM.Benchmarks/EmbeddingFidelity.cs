using System.Globalization;
using System.Numerics.Tensors;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.Benchmarks;

/// <summary>
/// <c>fidelity [count]</c>: cosine between the int8 and the fp32 embedding of each of <c>count</c> (default 2000)
/// real MMLU prompts; prints mean, minimum and percentiles.
/// </summary>
internal static class EmbeddingFidelity
{
    public static void Run(string[] args)
    {
        var count = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 2000;
        var prompts = MmluPrompts.Sample(count);
        using var fp32 = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Float32 });
        using var int8 = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Int8 });
        var reference = fp32.GenerateAsync(prompts).GetAwaiter().GetResult();
        var quantized = int8.GenerateAsync(prompts).GetAwaiter().GetResult();
        var cosines = reference.Zip(quantized, (a, b) => (double)TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span))
            .Order().ToArray();
        double Percentile(double p) => cosines[(int)Math.Floor(p * (cosines.Length - 1))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prompts.Length} MMLU prompts, {int8.ModelId} vs {fp32.ModelId}: cosine mean {cosines.Average():F5}, " +
            $"min {cosines[0]:F5}, p1 {Percentile(0.01):F5}, p5 {Percentile(0.05):F5}, median {Percentile(0.5):F5}"));
    }
}
