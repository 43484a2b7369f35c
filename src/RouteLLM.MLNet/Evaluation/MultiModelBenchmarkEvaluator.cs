using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// Evaluates a router zip on a multi-model benchmark: finds the models the benchmark, the catalogue and the router
/// share (by name or alias), predicts them, prices them and runs <see cref="MultiModelEvaluator"/>. Costs: the
/// benchmark's real costs where it has them, else the catalogue's estimate; the router decides on its learned costs,
/// else the catalogue's, else (a benchmark with real costs and no catalogue) each model's mean real cost.
/// </summary>
public static class MultiModelBenchmarkEvaluator
{
    /// <summary>Evaluates <paramref name="scorer"/>'s router on <paramref name="benchmark"/>.</summary>
    /// <param name="scorer">The router, with its embedder.</param>
    /// <param name="benchmark">Measured quality (and real cost, if any) of each model on each prompt.</param>
    /// <param name="catalogue">The deployment's models and prices; required when the benchmark has no costs.</param>
    /// <param name="options">Names, sweep, bootstrap, and whether to route on the last block of few-shot prompts.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    /// <exception cref="ArgumentException">The benchmark has no prompt, fewer than two models are shared, or no costs are known.</exception>
    public static async Task<MultiModelEvaluation> EvaluateAsync(
        RouterScorer scorer, ModelScoreTable benchmark, ModelCatalogue? catalogue, MultiModelOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(options);
        if (benchmark.Prompts.Count == 0)
        {
            throw new ArgumentException($"Benchmark '{benchmark.Name}' has no scored prompt to evaluate on.");
        }

        if (benchmark.CostUsd is null && catalogue is null)
        {
            throw new ArgumentException($"Benchmark '{benchmark.Name}' has no costs: give a catalogue to price its models.", nameof(catalogue));
        }

        var aliases = catalogue?.Aliases ?? ModelAliases.Default;
        var routed = options.RouteOnLastBlock ? [.. benchmark.Prompts.Select(FewShotPrompt.LastBlock)] : benchmark.Prompts;
        var predictions = await scorer.PredictQualitiesAsync(routed, cancellationToken).ConfigureAwait(false);
        var (shared, leftOut) = SharedModels(benchmark, predictions.Models, catalogue, aliases);
        var truth = benchmark.Select(shared, aliases, benchmark.CostUsd is null ? CatalogueCosts(benchmark, shared, catalogue!) : null);
        var priced = PricedPredictions.Create(Restrict(predictions, shared, aliases, truth, catalogue), benchmark.Prompts, catalogue);
        return MultiModelEvaluator.Evaluate(truth, priced, leftOut, options);
    }

    private static (string[] Shared, string[] LeftOut) SharedModels(
        ModelScoreTable benchmark, IReadOnlyList<string> routerModels, ModelCatalogue? catalogue, ModelAliases aliases)
    {
        var shared = new List<string>();
        var leftOut = new List<string>();
        foreach (var model in benchmark.Models)
        {
            var name = catalogue?.Find(model)?.Model ?? model;
            if (catalogue is not null && catalogue.Find(model) is null)
            {
                leftOut.Add($"{model}: in the benchmark but not in the catalogue");
            }
            else if (!routerModels.Any(r => aliases.AreSame(r, model)))
            {
                leftOut.Add($"{model}: in the benchmark but the router never saw it");
            }
            else
            {
                shared.Add(name);
            }
        }

        leftOut.AddRange(routerModels.Where(r => benchmark.IndexOf(r, aliases) < 0).Select(r => $"{r}: known to the router but not in the benchmark"));
        leftOut.AddRange((catalogue?.Models ?? []).Where(m => benchmark.IndexOf(m.Model, aliases) < 0).Select(m => $"{m.Model}: in the catalogue but not in the benchmark"));
        return shared.Count >= 2
            ? ([.. shared], [.. leftOut])
            : throw new ArgumentException(
                $"Benchmark '{benchmark.Name}', the router{(catalogue is null ? "" : " and the catalogue")} share {shared.Count} model(s); an evaluation needs two. Left out: {string.Join("; ", leftOut)}.");
    }

    private static double[] CatalogueCosts(ModelScoreTable benchmark, string[] models, ModelCatalogue catalogue)
    {
        var cost = new double[benchmark.Prompts.Count * models.Length];
        for (var p = 0; p < benchmark.Prompts.Count; p++)
        {
            RequestCost.Usd(catalogue, models, benchmark.Prompts[p], TokenCounter.Default, cost.AsSpan(p * models.Length, models.Length));
        }

        return cost;
    }

    // The router's columns for the shared models, in the benchmark's order; when neither the router nor a catalogue
    // prices them, each model's mean real cost on the benchmark stands in for a price list.
    private static ModelPredictions Restrict(ModelPredictions predictions, string[] shared, ModelAliases aliases, ModelScoreTable truth, ModelCatalogue? catalogue)
    {
        var columns = shared.Select(m => Enumerable.Range(0, predictions.Models.Count).First(i => aliases.AreSame(predictions.Models[i], m))).ToArray();
        var quality = new float[predictions.PromptCount * shared.Length];
        var learned = predictions.CostUsd is not null;
        var cost = learned || catalogue is null ? new double[quality.Length] : null;
        var meanCost = Enumerable.Range(0, shared.Length).Select(j => Enumerable.Range(0, truth.Prompts.Count).Average(p => truth.CostRow(p)[j])).ToArray();
        for (var p = 0; p < predictions.PromptCount; p++)
        {
            for (var j = 0; j < shared.Length; j++)
            {
                quality[(p * shared.Length) + j] = predictions.QualityRow(p)[columns[j]];
                if (cost is not null)
                {
                    cost[(p * shared.Length) + j] = learned ? predictions.CostRow(p)[columns[j]] : meanCost[j];
                }
            }
        }

        return new ModelPredictions(shared, predictions.PromptCount, quality, cost);
    }
}
