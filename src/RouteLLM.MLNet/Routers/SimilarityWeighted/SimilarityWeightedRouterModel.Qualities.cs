using System.Numerics.Tensors;
using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

public sealed partial class SimilarityWeightedRouterModel
{
    /// <summary>Every model the router rated, in manifest order.</summary>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>What the qualities mean (win probability against the strong model, or expected score) and the learned costs.</summary>
    public MultiModelQualities Qualities => _qualities;

    /// <summary>
    /// Trained on battles alone: each model's probability of beating the strong model (the reference) under the query's
    /// similarity-weighted Bradley-Terry ratings of their tiers, so models of one tier tie (train with as many tiers as
    /// models to rate each alone). Trained with scores: each model's similarity-weighted mean score over the most
    /// similar training prompts (<see cref="SimilarityWeightedRouterTrainer.Options.Neighbours"/>), shrunk toward its
    /// mean over all training prompts (<see cref="SimilarityWeightedRouterTrainer.Options.Shrinkage"/>).
    /// </summary>
    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var models = Manifest.Models;
        var dimension = _prompts.Embedder.Dimension;
        var quality = new float[prompts.Count * models.Count];
        var similarities = new double[_prompts.Count];
        for (var i = 0; i < prompts.Count; i++)
        {
            var query = embeddings.Slice(i * dimension, dimension);
            var row = quality.AsSpan(i * models.Count, models.Count);
            if (_neighbourScores.HasScores)
            {
                Similarities(query, similarities);
                _neighbourScores.Estimate(similarities, _logBase, row);
                continue;
            }

            var beta = FitTiers(query);
            for (var m = 0; m < models.Count; m++)
            {
                row[m] = (float)BradleyTerry.WinProbability(
                    BradleyTerry.Scale * beta[ModelTiers[models[m]]], BradleyTerry.Scale * beta[_strongTier]);
            }
        }

        return new ModelPredictions(models, prompts.Count, quality, _qualities.PredictCosts(prompts));
    }

    private void Similarities(ReadOnlySpan<float> query, Span<double> similarities)
    {
        var queryNorm = TensorPrimitives.Norm(query);
        if (!float.IsFinite(queryNorm))
        {
            throw new ArgumentException("The query embedding has a non-finite value.", nameof(query));
        }

        var inverseQueryNorm = queryNorm > 0 ? 1 / (double)queryNorm : 0;
        for (var p = 0; p < similarities.Length; p++)
        {
            similarities[p] = TensorPrimitives.Dot(_prompts[p], query) * (double)_inverseNorms[p] * inverseQueryNorm;
        }
    }
}
