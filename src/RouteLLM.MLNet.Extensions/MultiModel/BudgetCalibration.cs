using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// Turns a budget (a mean cost per request) into willingness to pay's λ for each router version: the smallest λ at
/// which the router's calibration prompts, each sent to its willingness-to-pay choice, cost at most the budget on
/// average. A version scores its calibration prompts once, on the first budget asked of it, so that a retrained
/// router keeps the budget.
/// </summary>
internal sealed class BudgetCalibration(IReadOnlyDictionary<string, string> promptFiles, MultiModelRouter models)
{
    private const int BatchSize = 256;

    private readonly ConditionalWeakTable<PooledRouter, Task<Curve>> _curves = new();

    public async ValueTask<double> LambdaAsync(PooledRouter router, double budget, CancellationToken cancellationToken)
    {
        if (!promptFiles.TryGetValue(router.Name, out var file) || string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidOperationException($"Router '{router.Name}' has no calibration prompts, so it cannot turn a budget into a choice of models.");
        }

        // Shared by every request for this version: one request giving up must not cancel the others' calibration.
        var curve = _curves.GetValue(router, r => Task.Run(() => ScoreAsync(r, file)));
        try
        {
            return (await curve.WaitAsync(cancellationToken).ConfigureAwait(false)).Lambda(budget);
        }
        catch (Exception) when (curve.IsFaulted)
        {
            _curves.Remove(router);
            throw;
        }
    }

    private async Task<Curve> ScoreAsync(PooledRouter router, string file)
    {
        var (texts, _) = PromptFile.Read(file);
        var perPrompt = new List<ModelCandidate[]>(texts.Count);
        foreach (var batch in texts.Chunk(BatchSize))
        {
            var predictions = await router.Scorer.PredictQualitiesAsync(batch).ConfigureAwait(false);
            for (var p = 0; p < batch.Length; p++)
            {
                perPrompt.Add([.. models.Score(predictions.Models, predictions.QualityRow(p), models.Costs(models.CountTokens(batch[p])))]);
            }
        }

        return new Curve([.. perPrompt.Where(c => c.Length > 0)]);
    }

    /// <summary>The calibration prompts' candidates, and the λ found for each budget asked so far.</summary>
    private sealed class Curve(ModelCandidate[][] prompts)
    {
        // Budgets come from request model names: bounded.
        private const int MaxCachedBudgets = 256;

        private readonly ConcurrentDictionary<double, double> _lambdas = new();

        public double Lambda(double budget)
        {
            if (_lambdas.TryGetValue(budget, out var cached))
            {
                return cached;
            }

            // The mean cost of the choices falls, in steps, as λ grows: bisect for the first λ within the budget. If
            // even the cheapest choices exceed it, the largest λ tried stands (the cheapest models, as close as it gets).
            double low = 0, high = 1;
            while (MeanCost(high) > budget && high < 1e12)
            {
                high *= 2;
            }

            if (MeanCost(0) <= budget)
            {
                high = 0;
            }

            for (var i = 0; i < 64 && high - low > 1e-9 * high; i++)
            {
                var middle = (low + high) / 2;
                (low, high) = MeanCost(middle) <= budget ? (low, middle) : (middle, high);
            }

            if (_lambdas.Count < MaxCachedBudgets)
            {
                _lambdas.TryAdd(budget, high);
            }

            return high;
        }

        private double MeanCost(double lambda) => prompts.Length == 0 ? 0 : prompts.Average(c => PolicyRanking.Best(c, lambda).EstimatedCostUsd);
    }
}
