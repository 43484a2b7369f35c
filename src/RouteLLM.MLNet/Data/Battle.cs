namespace RouteLLM.MLNet.Data;

/// <summary>One pairwise comparison of two models' answers to a prompt (a Chatbot Arena row).</summary>
/// <param name="Prompt">The first user turn, which is what routers read.</param>
/// <param name="ModelA">Canonical name of the first model (see <see cref="ModelAliases"/>).</param>
/// <param name="ModelB">Canonical name of the second model.</param>
/// <param name="Outcome">Which side won.</param>
/// <param name="Weight">Sample weight; 1 for ordinary battles, chosen by validation for augmented ones.</param>
/// <param name="IsGold">Whether the battle is a gold label (benchmark correctness) mixed into training, not a preference.</param>
public sealed record Battle(string Prompt, string ModelA, string ModelB, BattleOutcome Outcome, float Weight = 1f, bool IsGold = false)
{
    /// <summary>
    /// The outcome as the training label read by router trainers: 1 when A wins, 0 when B wins, 0.5 for a tie.
    /// </summary>
    public float Label => Outcome switch
    {
        BattleOutcome.ModelAWins => 1f,
        BattleOutcome.ModelBWins => 0f,
        _ => 0.5f,
    };
}
