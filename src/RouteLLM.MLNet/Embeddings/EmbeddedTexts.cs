using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>The vectors of a batch of texts, row-major (see <see cref="EmbeddedTexts.EmbedAsync"/>).</summary>
/// <param name="Values">Row-major values, <c>texts × Dimension</c>.</param>
/// <param name="Dimension">Length of each vector.</param>
/// <param name="Usage">What the embedder reported using (e.g. input tokens), when it did.</param>
public sealed record EmbeddedTexts(float[] Values, int Dimension, UsageDetails? Usage)
{
    /// <summary>The vector of text <paramref name="index"/>.</summary>
    /// <param name="index">Index of the text in the batch.</param>
    public ReadOnlySpan<float> this[int index] => Values.AsSpan(index * Dimension, Dimension);

    /// <summary>
    /// Embeds a batch in one call to <paramref name="generator"/> and lays the vectors out row-major, checking that it
    /// returned one vector per text, each of <paramref name="dimension"/> values.
    /// </summary>
    /// <param name="generator">The embedder.</param>
    /// <param name="texts">The texts; none gives no values.</param>
    /// <param name="dimension">The dimension the caller expects (e.g. the router's <see cref="EmbedderInfo.Dimension"/>).</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    /// <exception cref="InvalidOperationException">The embedder returned another number of vectors, or a vector of another length.</exception>
    public static async Task<EmbeddedTexts> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (texts.Count == 0)
        {
            return new EmbeddedTexts([], dimension, Usage: null);
        }

        var generated = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (generated.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedder returned {generated.Count} embeddings for {texts.Count} texts.");
        }

        var values = new float[texts.Count * dimension];
        for (var i = 0; i < generated.Count; i++)
        {
            var vector = generated[i].Vector.Span;
            if (vector.Length != dimension)
            {
                throw new InvalidOperationException($"The embedder returned a vector of {vector.Length} values, not {dimension}.");
            }

            vector.CopyTo(values.AsSpan(i * dimension, dimension));
        }

        return new EmbeddedTexts(values, dimension, generated.Usage);
    }
}
