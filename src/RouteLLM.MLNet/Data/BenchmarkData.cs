namespace RouteLLM.MLNet.Data;

/// <summary>A routing benchmark as loaded: prompts with both models' quality, and RouteLLM's contamination list.</summary>
/// <param name="Name">Benchmark name: <c>mmlu</c>, <c>mt-bench</c>, <c>gsm8k</c>, <c>csv</c> or <c>gold</c>.</param>
/// <param name="StrongModel">Canonical name of the strong model.</param>
/// <param name="WeakModel">Canonical name of the weak model.</param>
/// <param name="Prompts">The prompts, in file order (nothing dropped yet; a prompt text may occur more than once).</param>
/// <param name="ContaminatedPrompts">
/// Routed prompts RouteLLM lists as seen in training (<c>contaminated_prompts.jsonl</c>): evaluation drops every prompt
/// whose <see cref="BenchmarkPrompt.Prompt"/> is in this set.
/// </param>
/// <param name="Skipped">Rows, grades or records skipped while loading, by reason (reported, never silent).</param>
public sealed record BenchmarkData(
    string Name,
    string StrongModel,
    string WeakModel,
    IReadOnlyList<BenchmarkPrompt> Prompts,
    IReadOnlySet<string> ContaminatedPrompts,
    IReadOnlyDictionary<string, int> Skipped)
{
    /// <summary>
    /// One battle of <see cref="StrongModel"/> (model A) against <see cref="WeakModel"/> per prompt: the strong model
    /// wins when its quality is higher (right where the weak model is wrong), the weak model when its quality is higher,
    /// and a tie otherwise. This is how gold labels augment the training battles.
    /// </summary>
    /// <param name="weight">The sample weight of every battle (≥ 0); trainers choose it by validation.</param>
    /// <exception cref="ArgumentOutOfRangeException">The weight is negative or not finite.</exception>
    public IReadOnlyList<Battle> ToBattles(float weight)
    {
        if (!float.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The sample weight must be a finite number ≥ 0.");
        }

        return [.. Prompts.Select(p => new Battle(p.Prompt, StrongModel, WeakModel, p.StrongQuality.CompareTo(p.WeakQuality) switch
        {
            > 0 => BattleOutcome.ModelAWins,
            < 0 => BattleOutcome.ModelBWins,
            _ => BattleOutcome.Tie,
        }, weight))];
    }
}
