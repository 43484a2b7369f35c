using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// RouterBench's measure of a router kind, cross-validated: the scored prompts are split into folds by prompt, a
/// router trained on the other folds predicts each fold (<see cref="CrossValidatedPredictions"/>), and the pooled
/// predictions are judged by <see cref="MultiModelEvaluator"/> (single models, hull, AIQ of router, zero router and
/// oracle, bootstrap intervals). Costs are the data's real per-call costs when it has them for every evaluated model
/// (RouterBench), else the catalogue's estimate of each request.
/// </summary>
public static class MultiModelCrossValidation
{
    /// <summary>Cross-validates and evaluates.</summary>
    /// <param name="benchmark">The benchmark's name in the result.</param>
    /// <param name="scores">Per-prompt scores of the models (and real costs, where known).</param>
    /// <param name="embeddings">Embeddings of every scored prompt.</param>
    /// <param name="train">Trains one fold's router, e.g. <c>set =&gt; trainer.Train(set)</c>.</param>
    /// <param name="catalogue">Prices; required when the scores carry no costs. Models it does not list are left out.</param>
    /// <param name="folds">Number of folds (by prompt), at least 2.</param>
    /// <param name="options">Names, sweep, bootstrap and the seed (also of the folds).</param>
    /// <exception cref="ArgumentException">Too few models or prompts remain, or nothing prices the models.</exception>
    public static MultiModelEvaluation Evaluate(
        string benchmark, IReadOnlyList<ScoredPrompt> scores, PromptEmbeddingTable embeddings, Func<TrainingSet, RouterModel> train,
        ModelCatalogue? catalogue, int folds, MultiModelOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(benchmark);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        var leftOut = new List<string>();
        var models = scores.SelectMany(s => s.Scores.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (catalogue is not null)
        {
            leftOut.AddRange(models.Where(m => catalogue.Find(m) is null).Select(m => $"{m}: not in the catalogue"));
            models.RemoveAll(m => catalogue.Find(m) is null);
        }

        var realCosts = catalogue is null;
        var complete = scores.Where(s => models.All(m => s.Scores.ContainsKey(m) && (!realCosts || s.CostsUsd.ContainsKey(m)))).ToList();
        var skipped = new SkippedRows();
        for (var i = complete.Count; i < scores.Count; i++)
        {
            skipped.Add(realCosts ? "a model unscored or without cost" : "a model unscored");
        }

        if (models.Count < 2 || complete.Count < folds)
        {
            throw new ArgumentException(
                $"{benchmark}: {models.Count} models scored on all of {complete.Count} prompts; need 2 models and at least {folds} prompts.", nameof(scores));
        }

        var restricted = complete.Select(s => s with { Scores = models.ToDictionary(m => m, m => s.Scores[m], StringComparer.Ordinal) }).ToList();
        var pooled = CrossValidatedPredictions.Predict(restricted, embeddings, train, folds, options.Seed);
        var prompts = restricted.Select(s => s.Prompt).ToList();
        var priced = PricedPredictions.Create(pooled, prompts, catalogue);
        leftOut.AddRange(priced.Warnings);
        leftOut.AddRange(models.Where(m => !pooled.Models.Contains(m)).Select(m => $"{m}: no fold's router learned it"));
        var truth = Truth(benchmark, restricted, priced.Models, catalogue, skipped);
        return MultiModelEvaluator.Evaluate(truth, priced, leftOut, options);
    }

    private static ModelScoreTable Truth(
        string benchmark, List<ScoredPrompt> scores, IReadOnlyList<string> models, ModelCatalogue? catalogue, SkippedRows skipped)
    {
        var aliases = catalogue?.Aliases ?? ModelAliases.Default;
        var quality = new double[scores.Count * models.Count];
        var cost = new double[quality.Length];
        for (var p = 0; p < scores.Count; p++)
        {
            for (var m = 0; m < models.Count; m++)
            {
                var key = scores[p].Scores.Keys.First(k => aliases.AreSame(k, models[m]));
                quality[p * models.Count + m] = scores[p].Scores[key];
                if (catalogue is null)
                {
                    cost[p * models.Count + m] = scores[p].CostsUsd[key];
                }
            }

            if (catalogue is not null)
            {
                RequestCost.Usd(catalogue, models, scores[p].Prompt, TokenCounter.Default, cost.AsSpan(p * models.Count, models.Count));
            }
        }

        return new ModelScoreTable(benchmark, [.. scores.Select(s => s.Prompt)], models, quality, cost, skipped);
    }
}
