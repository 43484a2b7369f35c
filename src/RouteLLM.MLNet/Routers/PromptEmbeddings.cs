using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Embeddings of a set of prompts, with the embedder that made them. Router zips keep those of their training
/// prompts, so that evaluation can drop benchmark prompts the router has (nearly) seen.
/// </summary>
public sealed class PromptEmbeddings
{
    private readonly float[] _values;

    /// <summary>Wraps row-major embeddings.</summary>
    /// <param name="embedder">The embedder that produced them.</param>
    /// <param name="values">Row-major values, <c>count × embedder.Dimension</c>.</param>
    public PromptEmbeddings(EmbedderInfo embedder, float[] values)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length % embedder.Dimension != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of {embedder.Dimension}-dimensional rows.", nameof(values));
        }

        Embedder = embedder;
        _values = values;
    }

    /// <summary>The embedder that produced the vectors.</summary>
    public EmbedderInfo Embedder { get; }

    /// <summary>Number of prompts.</summary>
    public int Count => _values.Length / Embedder.Dimension;

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The embedding of prompt <paramref name="index"/>.</summary>
    /// <param name="index">Row index.</param>
    public ReadOnlySpan<float> this[int index] => _values.AsSpan(index * Embedder.Dimension, Embedder.Dimension);
}
