namespace RouteLLM.MLNet.Routers;

/// <summary>One battle of a <see cref="TrainingSet"/>, by index.</summary>
/// <param name="Prompt">Index into <see cref="TrainingSet.Prompts"/>.</param>
/// <param name="ModelA">Index into <see cref="TrainingSet.Models"/>.</param>
/// <param name="ModelB">Index into <see cref="TrainingSet.Models"/>.</param>
/// <param name="Label">1 when A won, 0 when B won, 0.5 for a tie.</param>
/// <param name="Weight">Sample weight (≥ 0).</param>
/// <param name="IsGold">Whether the battle is a gold label (the <c>IsGold</c> column, when the data have it).</param>
public readonly record struct TrainingBattle(int Prompt, int ModelA, int ModelB, float Label, float Weight, bool IsGold = false)
{
    /// <summary>True when neither side won.</summary>
    public bool IsTie => Label == 0.5f;
}
