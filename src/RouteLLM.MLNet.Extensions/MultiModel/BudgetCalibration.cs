using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Policies;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// Turns a budget into willingness to pay for each router version (<see cref="BudgetCalibrator.ForMeanCost"/> on the
/// router's calibration prompts, priced on the models routed among). A version scores its calibration prompts once,
/// on the first budget asked of it, so that a retrained router keeps the budget.
/// </summary>
internal sealed class BudgetCalibration(IReadOnlyDictionary<string, string> promptFiles, MultiModelRouter models)
{
    private const int BatchSize = 256;

    // Budgets come from request model names: bounded per version.
    private const int MaxCachedBudgets = 256;

    private readonly ConditionalWeakTable<PooledRouter, Task<Calibrated>> _calibrations = new();

    public async ValueTask<WillingnessToPayPolicy> PolicyAsync(PooledRouter router, double budget, CancellationToken cancellationToken)
    {
        if (!promptFiles.TryGetValue(router.Name, out var file) || string.IsNullOrWhiteSpace(file))
        {
            throw new InvalidOperationException($"Router '{router.Name}' has no calibration prompts, so it cannot turn a budget into a choice of models.");
        }

        // Shared by every request for this version: one request giving up must not cancel the others' calibration.
        var calibration = _calibrations.GetValue(router, r => Task.Run(() => PriceAsync(r, file)));
        try
        {
            return (await calibration.WaitAsync(cancellationToken).ConfigureAwait(false)).For(budget);
        }
        catch (Exception) when (calibration.IsFaulted)
        {
            _calibrations.Remove(router);
            throw;
        }
    }

    private async Task<Calibrated> PriceAsync(PooledRouter router, string file)
    {
        var (prompts, _) = PromptFile.Read(file);
        var predictions = new List<Routers.ModelPredictions>();
        foreach (var batch in prompts.Chunk(BatchSize))
        {
            predictions.Add(await router.Scorer.PredictQualitiesAsync(batch).ConfigureAwait(false));
        }

        var columns = predictions[0].Models;
        var all = new Routers.ModelPredictions(columns, prompts.Count, [.. predictions.SelectMany(p => p.Quality)], predictions[0].CostUsd is null ? null : [.. predictions.SelectMany(p => p.CostUsd!)]);
        return new Calibrated(models.Price(router, all, prompts));
    }

    /// <summary>A version's priced calibration prompts, and the policy found for each budget asked so far.</summary>
    private sealed class Calibrated(PricedPredictions prompts)
    {
        private readonly ConcurrentDictionary<double, WillingnessToPayPolicy> _policies = new();

        public WillingnessToPayPolicy For(double budget)
        {
            if (_policies.TryGetValue(budget, out var cached))
            {
                return cached;
            }

            var policy = BudgetCalibrator.ForMeanCost(prompts, budget);
            if (_policies.Count < MaxCachedBudgets)
            {
                _policies.TryAdd(budget, policy);
            }

            return policy;
        }
    }
}
