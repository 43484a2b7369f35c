using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// K-fold cross-validation by prompt for multi-model routers: each fold's router is trained on the scores of the other
/// folds' prompts and predicts the held-out prompts; the folds' predictions are pooled into one
/// <see cref="ModelPredictions"/> over every scored prompt, which the multi-model metrics (hull, AIQ, zero router,
/// oracle) then judge as if one router had never seen any of them. A prompt that occurs twice falls in one fold.
/// </summary>
public static class CrossValidatedPredictions
{
    /// <summary>Trains one router per fold and pools their predictions on the prompts each did not see.</summary>
    /// <param name="scores">The scored prompts (RouterBench rows, or AlpacaEval verdicts as scores).</param>
    /// <param name="embeddings">Embeddings of every scored prompt.</param>
    /// <param name="train">Trains a router on a fold's training set, e.g. <c>set =&gt; trainer.Train(set)</c>.</param>
    /// <param name="folds">Number of folds, at least 2.</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <returns>
    /// Predictions in the order of <paramref name="scores"/>, over the models every fold's router predicts (models a fold
    /// never saw are left out); costs only when every fold's router learned them.
    /// </returns>
    /// <exception cref="ArgumentException">Fewer distinct prompts than folds, or a fold's router predicts no common model.</exception>
    public static ModelPredictions Predict(
        IReadOnlyList<ScoredPrompt> scores, PromptEmbeddingTable embeddings, Func<TrainingSet, RouterModel> train, int folds = 5, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var foldOf = GoldAugmentationSelector.AssignFolds([scores.Select(s => s.Prompt)], folds, seed);
        if (foldOf.Count < folds)
        {
            throw new ArgumentException($"{foldOf.Count} distinct prompts cannot fill {folds} folds.", nameof(scores));
        }

        var perFold = new ModelPredictions[folds];
        var heldOutRows = new List<int>[folds];
        for (var fold = 0; fold < folds; fold++)
        {
            var f = fold;
            heldOutRows[fold] = [.. Enumerable.Range(0, scores.Count).Where(i => foldOf[scores[i].Prompt] == f)];
            var training = scores.Where(s => foldOf[s.Prompt] != f).ToList();
            var router = train(TrainingSet.FromScores(training, embeddings));
            var prompts = heldOutRows[fold].Select(i => scores[i].Prompt).ToList();
            var vectors = router.Manifest.Embedder is null ? [] : embeddings.Gather(prompts);
            perFold[fold] = router.PredictQualities(prompts, vectors);
        }

        var models = perFold.Select(p => (IEnumerable<string>)p.Models).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        if (models.Length == 0)
        {
            throw new ArgumentException("The folds' routers predict no model in common.", nameof(scores));
        }

        var withCosts = perFold.All(p => p.CostUsd is not null);
        var quality = new float[scores.Count * models.Length];
        var costs = withCosts ? new double[quality.Length] : null;
        for (var fold = 0; fold < folds; fold++)
        {
            var predictions = perFold[fold];
            var columns = models.Select(m => predictions.Models.ToList().IndexOf(m)).ToArray();
            for (var r = 0; r < heldOutRows[fold].Count; r++)
            {
                var row = heldOutRows[fold][r];
                for (var m = 0; m < models.Length; m++)
                {
                    quality[row * models.Length + m] = predictions.QualityRow(r)[columns[m]];
                    if (costs is not null)
                    {
                        costs[row * models.Length + m] = predictions.CostRow(r)[columns[m]];
                    }
                }
            }
        }

        return new ModelPredictions(models, scores.Count, quality, costs);
    }
}
