namespace RouteLLM.MLNet.Data;

/// <summary>
/// Turns pairwise verdicts against one reference model into per-prompt scores of many models: the quality of model m on
/// prompt p is its verdict against the reference (win 1, tie 0.5, loss 0; the mean when judged more than once), and the
/// reference scores 0.5 on every prompt it was judged on, as a tie with itself. On AlpacaEval's battles with
/// <c>gpt-4-1106-preview</c> as the reference, this is the multi-model AlpacaEval benchmark.
/// </summary>
public static class VerdictScores
{
    /// <summary>The per-prompt scores, prompts in order of first appearance; battles without the reference are ignored.</summary>
    /// <param name="battles">Battles with canonical model names.</param>
    /// <param name="reference">Canonical name of the reference model.</param>
    public static IReadOnlyList<ScoredPrompt> AgainstReference(IEnumerable<Battle> battles, string reference)
    {
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var byPrompt = new Dictionary<string, Dictionary<string, (double Sum, int Count)>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var battle in battles)
        {
            var (model, score) = battle.ModelA == reference ? (battle.ModelB, 1 - battle.Label)
                : battle.ModelB == reference ? (battle.ModelA, battle.Label)
                : (null, 0f);
            if (model is null || model == reference)
            {
                continue;
            }

            if (!byPrompt.TryGetValue(battle.Prompt, out var verdicts))
            {
                byPrompt.Add(battle.Prompt, verdicts = new Dictionary<string, (double, int)>(StringComparer.Ordinal) { [reference] = (0.5, 1) });
                order.Add(battle.Prompt);
            }

            var (sum, count) = verdicts.GetValueOrDefault(model);
            verdicts[model] = (sum + score, count + 1);
        }

        var none = new Dictionary<string, double>();
        return [.. order.Select(p => new ScoredPrompt(p, byPrompt[p].ToDictionary(v => v.Key, v => v.Value.Sum / v.Value.Count, StringComparer.Ordinal), none))];
    }
}
