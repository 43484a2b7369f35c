namespace RouteLLM.MLNet.Routers.MatrixFactorization;

public sealed partial class MatrixFactorizationRouterModel
{
    /// <summary>P: one row of <see cref="Dimension"/> values per model, in manifest order.</summary>
    internal ReadOnlySpan<float> ModelVectors => _modelVectors;

    /// <summary>W, stored transposed: one row of <see cref="Dimension"/> values per embedding coordinate.</summary>
    internal ReadOnlySpan<float> Projection => _projection;

    /// <summary>w2.</summary>
    internal ReadOnlySpan<float> Classifier => _classifier;
}
