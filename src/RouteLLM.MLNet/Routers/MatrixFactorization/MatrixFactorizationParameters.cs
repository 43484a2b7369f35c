namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// RouteLLM's MF parameters in one buffer, so that Adam and best-epoch snapshots each take one pass:
/// P (models × dim, the model vectors), W (embedding dim × dim: the projection <c>text_proj</c>, stored transposed
/// so that <c>h = Σ_d e[d]·W[d, :]</c> reads rows), w2 (dim, the bias-free <c>classifier</c>) and b (models, a bias per
/// model that only pointwise score terms read: RouteLLM's pairwise logit has none, and with zero gradient it stays 0).
/// </summary>
internal sealed class MatrixFactorizationParameters
{
    public MatrixFactorizationParameters(int models, int embeddingDimension, int dimension)
    {
        Models = models;
        EmbeddingDimension = embeddingDimension;
        Dimension = dimension;
        Values = new float[(models + embeddingDimension + 1) * dimension + models];
    }

    public int Models { get; }

    public int EmbeddingDimension { get; }

    public int Dimension { get; }

    /// <summary>All parameters: P, then W, then w2, then b.</summary>
    public float[] Values { get; }

    public Span<float> ModelVectors => Values.AsSpan(0, Models * Dimension);

    public Span<float> Projection => Values.AsSpan(Models * Dimension, EmbeddingDimension * Dimension);

    public Span<float> Classifier => Values.AsSpan((Models + EmbeddingDimension) * Dimension, Dimension);

    public Span<float> ModelBiases => Values.AsSpan((Models + EmbeddingDimension + 1) * Dimension, Models);

    /// <summary>
    /// Initialises as PyTorch does for RouteLLM's modules: <c>nn.Embedding</c> ~ N(0, 1), and each bias-free
    /// <c>nn.Linear</c> ~ U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5); the biases start at 0.
    /// </summary>
    public static MatrixFactorizationParameters Initialize(int models, int embeddingDimension, int dimension, SeededRandom random)
    {
        var parameters = new MatrixFactorizationParameters(models, embeddingDimension, dimension);
        random.FillNormal(parameters.ModelVectors, 1f);
        FillUniform(parameters.Projection, 1f / MathF.Sqrt(embeddingDimension), random);
        FillUniform(parameters.Classifier, 1f / MathF.Sqrt(dimension), random);
        return parameters;
    }

    public MatrixFactorizationParameters Clone()
    {
        var copy = new MatrixFactorizationParameters(Models, EmbeddingDimension, Dimension);
        Values.CopyTo(copy.Values, 0);
        return copy;
    }

    private static void FillUniform(Span<float> values, float bound, SeededRandom random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (2 * random.NextSingle() - 1) * bound;
        }
    }
}
