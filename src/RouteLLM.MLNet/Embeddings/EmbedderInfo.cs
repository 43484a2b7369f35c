using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>Names the text embedding a router was trained on, so that it is never scored with another.</summary>
/// <param name="Id">Embedder identity: model and everything that changes its vectors (e.g. token limit, quantization).</param>
/// <param name="Dimension">Length of each embedding vector.</param>
public sealed record EmbedderInfo(string Id, int Dimension)
{
    /// <summary>Reads the identity an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> reports in its metadata.</summary>
    /// <param name="generator">The embedding generator.</param>
    /// <exception cref="ArgumentException">The generator reports no model id or no dimension.</exception>
    public static EmbedderInfo From(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()
            ?? throw new ArgumentException("The embedding generator exposes no EmbeddingGeneratorMetadata.", nameof(generator));
        if (string.IsNullOrWhiteSpace(metadata.DefaultModelId) || metadata.DefaultModelDimensions is not > 0)
        {
            throw new ArgumentException(
                "The embedding generator's metadata must name its model (DefaultModelId) and its dimension (DefaultModelDimensions).",
                nameof(generator));
        }

        return new EmbedderInfo(metadata.DefaultModelId, metadata.DefaultModelDimensions.Value);
    }
}
