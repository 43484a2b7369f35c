using System.Globalization;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// Chooses among candidate routers by RouterBench's own measure on prompts they did not see: the training set's prompts
/// are split into inner folds, each candidate is cross-validated on them (<see cref="MultiModelCrossValidation"/>), the
/// split is repeated with other seeds to average out the luck of one split, and the candidate of highest mean AIQ is
/// trained on the whole training set. Only the training set is read, so an outer
/// cross-validation that trains through this never tunes on its test folds.
/// </summary>
public static class MultiModelSelection
{
    /// <summary>Repetitions of the inner cross-validation that make a small benchmark's choice stable (RouterBench's MBPP has 299 prompts).</summary>
    public const int DefaultRepetitions = 3;

    /// <summary>
    /// Trains the candidates on <paramref name="trainingSet"/> and returns the one of highest inner cross-validated AIQ,
    /// averaged over the repetitions (on a tie the earlier), its manifest's metrics holding every candidate's mean inner
    /// AIQ (<c>inner_aiq_0</c>, …) and the choice (<c>inner_choice</c>).
    /// </summary>
    /// <param name="trainingSet">Per-prompt scores of the models (and real costs where known).</param>
    /// <param name="embeddings">Embeddings of every prompt of <paramref name="trainingSet"/>.</param>
    /// <param name="trainCandidates">
    /// Trains every candidate on a training set, in a fixed order; the conservative candidate first, since it wins ties
    /// (e.g. one router per value of a knob that needs no retraining).
    /// </param>
    /// <param name="catalogue">Prices, as for <see cref="MultiModelCrossValidation.Evaluate"/>; null when the scores carry real costs.</param>
    /// <param name="folds">Inner folds, at least 2.</param>
    /// <param name="seed">Seed of the first repetition's inner folds; repetition r uses <c>seed + r</c>.</param>
    /// <param name="repetitions">How many times the inner cross-validation is repeated with new folds; at least 1.</param>
    /// <exception cref="ArgumentException">No candidates, or too few prompts or models for the inner folds.</exception>
    public static RouterModel Train(
        TrainingSet trainingSet, PromptEmbeddingTable embeddings, Func<TrainingSet, IReadOnlyList<RouterModel>> trainCandidates,
        ModelCatalogue? catalogue, int folds, int seed, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(trainCandidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var scores = ScoredPromptsOf(trainingSet);

        // Every candidate's inner cross-validation draws the same folds, so one training per inner fold serves them all.
        var trained = new Dictionary<string, IReadOnlyList<RouterModel>>(StringComparer.Ordinal);
        IReadOnlyList<RouterModel> Candidates(TrainingSet set) =>
            trained.TryGetValue(set.Digest, out var candidates) ? candidates : trained[set.Digest] = trainCandidates(set);

        var count = Candidates(trainingSet).Count;
        if (count == 0)
        {
            throw new ArgumentException("The trainer made no candidate router.", nameof(trainCandidates));
        }

        var aiq = new double[count];
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var c = 0; c < count; c++)
        {
            var candidate = c;
            for (var r = 0; r < repetitions; r++)
            {
                var options = new MultiModelOptions { BootstrapResamples = 2, Seed = seed + r };
                aiq[c] += MultiModelCrossValidation.Evaluate("inner", scores, embeddings, set => Candidates(set)[candidate], catalogue, folds, options).Aiq / repetitions;
            }

            metrics[string.Create(CultureInfo.InvariantCulture, $"inner_aiq_{c}")] = aiq[c];
        }

        var best = 0;
        for (var c = 1; c < count; c++)
        {
            if (aiq[c] > aiq[best])
            {
                best = c;
            }
        }

        metrics["inner_choice"] = best;
        metrics["inner_folds"] = folds;
        metrics["inner_repetitions"] = repetitions;
        return Candidates(trainingSet)[best].WithTrainingMetrics(metrics);
    }

    /// <summary>The training set's scores as scored prompts again, one per distinct prompt (a model scored twice on it: the mean).</summary>
    private static List<ScoredPrompt> ScoredPromptsOf(TrainingSet trainingSet) =>
        [.. trainingSet.Scores.GroupBy(s => s.Prompt).OrderBy(g => g.Key).Select(prompt =>
        {
            var perModel = prompt.GroupBy(s => trainingSet.Models[s.Model], StringComparer.Ordinal).ToList();
            var scores = perModel.ToDictionary(g => g.Key, g => g.Average(s => (double)s.Score), StringComparer.Ordinal);
            var costs = perModel.Where(g => g.All(s => !float.IsNaN(s.CostUsd)))
                .ToDictionary(g => g.Key, g => g.Average(s => (double)s.CostUsd), StringComparer.Ordinal);
            return new ScoredPrompt(trainingSet.Prompts[prompt.Key], scores, costs);
        })];
}
