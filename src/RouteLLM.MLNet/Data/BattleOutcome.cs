namespace RouteLLM.MLNet.Data;

/// <summary>The verdict of one pairwise battle.</summary>
public enum BattleOutcome
{
    /// <summary>Model A's answer was preferred.</summary>
    ModelAWins,

    /// <summary>Model B's answer was preferred.</summary>
    ModelBWins,

    /// <summary>Neither answer was preferred.</summary>
    Tie,
}
