using System.Diagnostics.CodeAnalysis;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// Routes requests among N priced models with the routers of a <see cref="RouterPool"/>: the router predicts each
/// model's quality for the request, the catalogue prices the request on each model, and a <see cref="ModelPolicy"/>
/// ranks them. The server's policy model names and <see cref="MultiModelRoutingChatClient"/> both decide here.
/// </summary>
/// <remarks>
/// A model the router never saw is reported in <see cref="ModelRanking.UnscoredModels"/> and routed around. Router
/// columns meet catalogue models through the catalogue's aliases, so a router trained on
/// <c>mixtral-8x7b-instruct-v0.1</c> scores an upstream configured as <c>mistralai/Mixtral-8x7B-Instruct-v0.1</c>.
/// </remarks>
public sealed class MultiModelRouter
{
    private readonly ModelCatalogue _catalogue;
    private readonly TokenCounter _tokens;
    private readonly Dictionary<string, CatalogueModel> _models;
    private readonly ModelCatalogue _served;
    private readonly BudgetCalibration _budgets;

    /// <summary>Creates a router among <paramref name="models"/>.</summary>
    /// <param name="catalogue">The prices and aliases of the models.</param>
    /// <param name="models">The models requests may go to, in any spelling the catalogue knows.</param>
    /// <param name="calibrationPrompts">
    /// Per router name, a prompts file like the traffic to expect (read as <see cref="Data.PromptFile"/> reads it, e.g.
    /// the router's <see cref="RouterSource.CalibrationPrompts"/>): each version of the router scores it to turn a
    /// <see cref="ModelPolicy.Budget"/> into a λ. A router without one answers budgets with <see cref="InvalidOperationException"/>.
    /// </param>
    /// <param name="tokens">Counts prompt tokens for prices; default <see cref="TokenCounter.Default"/>.</param>
    /// <exception cref="ArgumentException">No model is given, one is not in the catalogue, or two spell the same model.</exception>
    public MultiModelRouter(
        ModelCatalogue catalogue, IEnumerable<string> models, IReadOnlyDictionary<string, string>? calibrationPrompts = null, TokenCounter? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(models);
        _catalogue = catalogue;
        _tokens = tokens ?? TokenCounter.Default;
        _models = new Dictionary<string, CatalogueModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            var entry = catalogue.Find(model)
                ?? throw new ArgumentException($"Model '{model}' is not in the catalogue, so it has no price.", nameof(models));
            if (!_models.TryAdd(entry.Model, entry))
            {
                throw new ArgumentException($"Model '{model}' is given twice (as catalogue model '{entry.Model}').", nameof(models));
            }
        }

        if (_models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed.", nameof(models));
        }

        Models = [.. _models.Keys];
        _served = ModelCatalogue.Create(_models.Values, "models routed among");
        _budgets = new BudgetCalibration(calibrationPrompts ?? new Dictionary<string, string>(), this);
    }

    /// <summary>The models routed among, by their catalogue names, in the order given.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Finds the model routed among that <paramref name="spelling"/> names (its catalogue name or an alias).</summary>
    /// <param name="spelling">A model name or alias.</param>
    /// <param name="model">The model's catalogue name, or null.</param>
    public bool TryResolve(string spelling, [NotNullWhen(true)] out string? model)
    {
        ArgumentNullException.ThrowIfNull(spelling);
        model = !string.IsNullOrWhiteSpace(spelling) && _catalogue.Find(spelling) is { } entry && _models.ContainsKey(entry.Model) ? entry.Model : null;
        return model is not null;
    }

    /// <summary>Scores a request with <paramref name="router"/> and ranks the allowed models it scores by <paramref name="policy"/>.</summary>
    /// <param name="router">The router version to score with (keep it for the whole request).</param>
    /// <param name="routedText">The text the router scores (a prompt, or a whole conversation).</param>
    /// <param name="pricedText">The text the models are paid to read: every message of the request.</param>
    /// <param name="policy">The trade-off between predicted quality and cost.</param>
    /// <param name="allowedModels">This request's allowed models, in any spelling; null allows every model.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    /// <exception cref="ArgumentException">
    /// An allowed model is not one routed among (the message names it), or the router scores none of the allowed models.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The router scores none of the models routed among, or a budget was asked of a router without calibration prompts.
    /// </exception>
    public async ValueTask<ModelRanking> RankAsync(
        PooledRouter router, string routedText, string pricedText, ModelPolicy policy, IReadOnlyCollection<string>? allowedModels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(routedText);
        ArgumentNullException.ThrowIfNull(pricedText);
        var allowed = allowedModels is null ? null : Allowed(allowedModels);
        var predictions = await router.Scorer.PredictQualitiesAsync([routedText], cancellationToken).ConfigureAwait(false);
        return await RankCoreAsync(router, predictions, pricedText, policy, allowed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ranks the allowed models by <paramref name="policy"/> from predictions <paramref name="router"/> already made for
    /// the request's routed text (e.g. kept by a cache shared by replicas), so that nothing is embedded again.
    /// </summary>
    /// <param name="router">The router version that made <paramref name="predictions"/>.</param>
    /// <param name="predictions">The router's predictions for the routed text: one row.</param>
    /// <param name="pricedText">The text the models are paid to read: every message of the request.</param>
    /// <param name="policy">The trade-off between predicted quality and cost.</param>
    /// <param name="allowedModels">This request's allowed models, in any spelling; null allows every model.</param>
    /// <param name="cancellationToken">Cancels the scoring of calibration prompts a budget may need.</param>
    /// <exception cref="ArgumentException">
    /// The predictions are not one row, an allowed model is not one routed among (the message names it), or the router
    /// scores none of the allowed models.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The router scores none of the models routed among, or a budget was asked of a router without calibration prompts.
    /// </exception>
    public ValueTask<ModelRanking> RankAsync(
        PooledRouter router, ModelPredictions predictions, string pricedText, ModelPolicy policy, IReadOnlyCollection<string>? allowedModels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(pricedText);
        if (predictions.PromptCount != 1)
        {
            throw new ArgumentException($"A request is ranked from one row of predictions, not {predictions.PromptCount}.", nameof(predictions));
        }

        return RankCoreAsync(router, predictions, pricedText, policy, allowedModels is null ? null : Allowed(allowedModels), cancellationToken);
    }

    private async ValueTask<ModelRanking> RankCoreAsync(
        PooledRouter router, ModelPredictions predictions, string pricedText, ModelPolicy policy, HashSet<string>? allowedModels, CancellationToken cancellationToken)
    {
        var decider = policy.Kind switch
        {
            ModelPolicyKind.WillingnessToPay => new WillingnessToPayPolicy(policy.Value),
            ModelPolicyKind.Budget => await _budgets.PolicyAsync(router, policy.Value, cancellationToken).ConfigureAwait(false),
            _ => (RoutingPolicy)new QualityFloorPolicy(policy.Value),
        };
        var priced = Price(router, predictions, [pricedText]);
        var scoredAllowed = allowedModels?.Where(m => priced.IndexOf(m) >= 0).ToList();
        if (scoredAllowed is { Count: 0 })
        {
            throw new ArgumentException(
                $"Router '{router.Name}' scores none of the allowed models ({string.Join(", ", allowedModels!)}); it scores {string.Join(", ", priced.Models)}.",
                nameof(allowedModels));
        }

        var decision = decider.Decide(priced, 0, scoredAllowed is null ? default : priced.Allow(scoredAllowed));
        var candidates = new List<ModelCandidate>(decision.Ranking.Count);
        foreach (var model in decision.Ranking)
        {
            var column = priced.IndexOf(model);
            candidates.Add(new ModelCandidate(model, priced.QualityRow(0)[column], priced.CostRow(0)[column]));
        }

        return new ModelRanking(
            router, policy, (decider as WillingnessToPayPolicy)?.Lambda, candidates, decision.MostExpensiveCostUsd, [.. Models.Where(m => priced.IndexOf(m) < 0)]);
    }

    /// <summary>
    /// Prices a router's predictions on the models routed among (the router's learned costs where it has them, else the
    /// catalogue's estimate for <paramref name="prompts"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The router scores none of the models routed among.</exception>
    internal PricedPredictions Price(PooledRouter router, ModelPredictions predictions, IReadOnlyList<string> prompts)
    {
        try
        {
            return PricedPredictions.Create(predictions, prompts, _served, _tokens);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Router '{router.Name}' cannot route among {string.Join(", ", Models)}: {e.Message}", e);
        }
    }

    private HashSet<string> Allowed(IReadOnlyCollection<string> allowedModels)
    {
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var spelling in allowedModels)
        {
            if (!TryResolve(spelling ?? "", out var model))
            {
                throw new ArgumentException(
                    $"Unknown model '{spelling}' in the allowed models; the models are {string.Join(", ", Models)}.", nameof(allowedModels));
            }

            allowed.Add(model);
        }

        return allowed;
    }
}
