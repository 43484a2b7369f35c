namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// A multi-model routing decision: the allowed models the router scores, best first by the policy's objective. The
/// first is the choice; the others are where the request goes, in order, when the models before them fail.
/// </summary>
public sealed class ModelRanking
{
    internal ModelRanking(
        PooledRouter router, ModelPolicy policy, double? lambda, IReadOnlyList<ModelCandidate> candidates, double mostExpensiveCostUsd, IReadOnlyList<string> unscoredModels)
    {
        Router = router;
        Policy = policy;
        Lambda = lambda;
        Candidates = candidates;
        MostExpensiveCostUsd = mostExpensiveCostUsd;
        UnscoredModels = unscoredModels;
    }

    /// <summary>The router version that scored the request.</summary>
    public PooledRouter Router { get; }

    /// <summary>The policy the candidates are ranked by.</summary>
    public ModelPolicy Policy { get; }

    /// <summary>
    /// The λ in force (the policy's, or the budget's calibrated one; +∞ when a budget is below every model's cost); null
    /// for a quality floor.
    /// </summary>
    public double? Lambda { get; }

    /// <summary>The candidates, best first; never empty.</summary>
    public IReadOnlyList<ModelCandidate> Candidates { get; }

    /// <summary>The chosen model: the first candidate.</summary>
    public ModelCandidate Choice => Candidates[0];

    /// <summary>The request's estimated cost on the most expensive of the allowed models it scores, in USD.</summary>
    public double MostExpensiveCostUsd { get; }

    /// <summary>Models routed among that the router never saw in training: they get no requests from it.</summary>
    public IReadOnlyList<string> UnscoredModels { get; }
}
