namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>Which preference battles a <see cref="AugmentationCandidate"/> trains on.</summary>
public enum BattleSubset
{
    /// <summary>None: the candidate trains on gold labels alone.</summary>
    None,

    /// <summary>Every battle.</summary>
    All,

    /// <summary>
    /// Only battles between a model of the strong model's tier and a model of the weak model's tier (or within that
    /// tier when both share one): the battles most like the routed pair. Tiers are those of the similarity-weighted
    /// router (Bradley-Terry ratings over the training battles, grouped by <see cref="Ranking.Tiers.Compute"/>).
    /// </summary>
    StrongWeakTiers,
}
