using System.Text;
using Microsoft.Extensions.AI;

namespace RouteLLM.Testing;

/// <summary>
/// A deterministic bag-of-words embedder for tests: each lower-cased word adds ±1 to a hashed coordinate, then the
/// vector is L2-normalised. Prompts that share words get similar vectors, which is all routers need to show they learn.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimension = 32, string id = "test-hashing") : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("test", null, $"{id}-{dimension}", dimension);

    /// <summary>Number of calls to <see cref="GenerateAsync"/> so far.</summary>
    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v))));
        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var vector = new float[dimension];
        foreach (var word in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = Fnv(word);
            vector[(int)(hash % (uint)dimension)] += (hash >> 31 & 1) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static uint Fnv(string s)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s)) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
