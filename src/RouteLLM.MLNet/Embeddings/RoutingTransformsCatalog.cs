using Microsoft.Extensions.AI;
using Microsoft.ML;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>Transforms used before a router, reached as <c>mlContext.Routing().Transforms</c>.</summary>
public sealed class RoutingTransformsCatalog
{
    private readonly MLContext _context;

    internal RoutingTransformsCatalog(MLContext context) => _context = context;

    /// <summary>
    /// Embeds a text column into a fixed-size float vector column with <paramref name="generator"/> (for example a
    /// <see cref="MiniLmEmbeddingGenerator"/>, possibly behind a <see cref="DiskCachingEmbeddingGenerator"/>).
    /// </summary>
    /// <param name="generator">The embedder; its metadata must name its model and dimension.</param>
    /// <param name="outputColumnName">The vector column to add.</param>
    /// <param name="inputColumnName">The text column to embed.</param>
    public EmbedTextEstimator EmbedText(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        string outputColumnName = BattleColumnNames.Embedding,
        string inputColumnName = BattleColumnNames.Prompt)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        return new EmbedTextEstimator(_context, generator, outputColumnName, inputColumnName);
    }
}
