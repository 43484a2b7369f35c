using RouteLLM.MLNet.Catalogue;

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
        _budgets = new BudgetCalibration(calibrationPrompts ?? new Dictionary<string, string>(), this);
    }

    /// <summary>The models routed among, by their catalogue names, in the order given.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Finds the model routed among that <paramref name="spelling"/> names (its catalogue name or an alias).</summary>
    /// <param name="spelling">A model name or alias.</param>
    /// <param name="model">The model's catalogue name, or null.</param>
    public bool TryResolve(string spelling, out string? model)
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
    /// <exception cref="InvalidOperationException">A budget was asked of a router without calibration prompts.</exception>
    public async ValueTask<ModelRanking> RankAsync(
        PooledRouter router, string routedText, string pricedText, ModelPolicy policy, IReadOnlyCollection<string>? allowedModels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(routedText);
        ArgumentNullException.ThrowIfNull(pricedText);
        var allowed = allowedModels is null ? null : Allowed(allowedModels);
        var lambda = policy.Kind switch
        {
            ModelPolicyKind.WillingnessToPay => policy.Value,
            ModelPolicyKind.Budget => await _budgets.LambdaAsync(router, policy.Value, cancellationToken).ConfigureAwait(false),
            _ => (double?)null,
        };
        var predictions = await router.Scorer.PredictQualitiesAsync([routedText], cancellationToken).ConfigureAwait(false);
        var costs = Costs(_tokens.Count(pricedText));
        var scored = Score(predictions.Models, predictions.QualityRow(0), costs);
        var candidates = scored.Where(c => allowed is null || allowed.Contains(c.Model)).ToList();
        if (candidates.Count == 0)
        {
            throw new ArgumentException(
                $"Router '{router.Name}' scores none of the allowed models ({string.Join(", ", allowed!)}); it scores {string.Join(", ", scored.Select(c => c.Model))}.",
                nameof(allowedModels));
        }

        var (mostExpensive, mostExpensiveCost) = costs.MaxBy(c => c.Value);
        var unscored = Models.Where(m => scored.All(c => c.Model != m)).ToList();
        return new ModelRanking(router, policy, lambda, PolicyRanking.Rank(candidates, policy, lambda), mostExpensive, mostExpensiveCost, unscored);
    }

    /// <summary>The estimated cost of a prompt of <paramref name="promptTokens"/> tokens on each model routed among.</summary>
    internal Dictionary<string, double> Costs(int promptTokens) =>
        _models.ToDictionary(m => m.Key, m => RequestCost.Usd(m.Value, promptTokens), StringComparer.OrdinalIgnoreCase);

    /// <summary>The models routed among that the router scores, with their predicted quality and cost.</summary>
    internal List<ModelCandidate> Score(IReadOnlyList<string> routerModels, ReadOnlySpan<float> quality, Dictionary<string, double> costs)
    {
        var scored = new List<ModelCandidate>(routerModels.Count);
        for (var i = 0; i < routerModels.Count; i++)
        {
            if (TryResolve(routerModels[i], out var model) && scored.All(c => c.Model != model))
            {
                scored.Add(new ModelCandidate(model!, quality[i], costs[model!]));
            }
        }

        return scored;
    }

    internal int CountTokens(string text) => _tokens.Count(text);

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

            allowed.Add(model!);
        }

        return allowed;
    }
}
