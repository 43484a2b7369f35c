using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Transforms.EmbedText(...)</c>.</summary>
public static class EmbedTextCatalog
{
    /// <summary>
    /// Embeds a text column into a fixed-size float vector column with <paramref name="generator"/> (for example a
    /// <see cref="MiniLmEmbeddingGenerator"/>, possibly behind a <see cref="DiskCachingEmbeddingGenerator"/>).
    /// </summary>
    /// <param name="catalog">The routing transforms catalog.</param>
    /// <param name="generator">The embedder; its metadata must name its model and dimension.</param>
    /// <param name="outputColumnName">The vector column to add.</param>
    /// <param name="inputColumnName">The text column to embed.</param>
    public static EmbedTextEstimator EmbedText(
        this RoutingCatalog.RoutingTransforms catalog,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        string outputColumnName = "Embedding",
        string inputColumnName = "Prompt")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        return new EmbedTextEstimator(catalog.Context, generator, outputColumnName, inputColumnName);
    }
}
