using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

public sealed partial class MatrixFactorizationRouterModel
{
    /// <summary>Every model the router was trained on, in manifest order.</summary>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>What the qualities mean (win probability against the strong model, or P(correct)) and the learned costs.</summary>
    public MultiModelQualities Qualities => _qualities;

    /// <summary>
    /// δ(m, q) for every model, then <see cref="MultiModelQualities.FromLogits"/>: σ(δ(m, q) − δ(strong, q)) for a router
    /// trained on battles (the strong model is the reference), σ(δ(m, q) + b_m) for one trained on scores (b: the per-model biases only score terms learn).
    /// </summary>
    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var models = Manifest.Models.Count;
        var k = Dimension;
        var scaledUnits = new float[models * k];
        for (var m = 0; m < models; m++)
        {
            var vector = _modelVectors.AsSpan(m * k, k);
            var unit = scaledUnits.AsSpan(m * k, k);
            TensorPrimitives.Divide(vector, MathF.Max(TensorPrimitives.Norm(vector), 1e-12f), unit);
            TensorPrimitives.Multiply(unit, _classifier, unit);
        }

        var d = _projection.Length / k;
        var reference = Index(Manifest.StrongModel);
        var quality = new float[prompts.Count * models];
        var hidden = new float[k];
        for (var i = 0; i < prompts.Count; i++)
        {
            hidden.AsSpan().Clear();
            var embedding = embeddings.Slice(i * d, d);
            for (var e = 0; e < d; e++)
            {
                TensorPrimitives.MultiplyAdd(_projection.AsSpan(e * k, k), embedding[e], hidden, hidden);
            }

            var row = quality.AsSpan(i * models, models);
            for (var m = 0; m < models; m++)
            {
                row[m] = TensorPrimitives.Dot(scaledUnits.AsSpan(m * k, k), hidden) + (_modelBiases?[m] ?? 0);
            }

            _qualities.FromLogits(row, reference);
        }

        return new ModelPredictions(Manifest.Models, prompts.Count, quality, _qualities.PredictCosts(prompts));
    }
}
