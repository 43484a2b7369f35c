using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// Recorded per-call costs (RouterBench's) as they would have been at other prices. A recorded cost is split into its
/// prompt part (the prompt's tokens × the recorded input price, at most the whole cost) and its answer part (the rest),
/// and each part is scaled by the new price over the recorded one; the answer's tokens are not recorded, so this split
/// is the one way to honour separate input and output prices.
/// </summary>
public static class RecordedCosts
{
    /// <summary>
    /// The scores with each recorded cost repriced; a model that either catalogue lacks, or whose prices did not change,
    /// keeps its recorded costs. A model is found in <paramref name="recordedAt"/> by any of its spellings, and in
    /// <paramref name="priced"/> by that catalogue's name for it.
    /// </summary>
    /// <param name="scores">Scored prompts with recorded costs.</param>
    /// <param name="recordedAt">The prices the costs were recorded at.</param>
    /// <param name="priced">The new prices.</param>
    /// <param name="tokens">Counts each prompt's tokens.</param>
    /// <exception cref="ArgumentException">A changed output price whose recorded price is 0 (the answer's tokens are then unknown).</exception>
    public static IReadOnlyList<ScoredPrompt> Reprice(IReadOnlyList<ScoredPrompt> scores, ModelCatalogue recordedAt, ModelCatalogue priced, TokenCounter tokens)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(recordedAt);
        ArgumentNullException.ThrowIfNull(priced);
        ArgumentNullException.ThrowIfNull(tokens);
        var changed = scores.SelectMany(s => s.CostsUsd.Keys).Distinct(StringComparer.Ordinal)
            .Select(m => (Model: m, Old: recordedAt.Find(m)))
            .Select(m => (m.Model, m.Old, New: m.Old is null ? null : priced.Find(m.Old.Model)))
            .Where(m => m.Old is not null && m.New is not null
                && (m.Old.InputUsdPerMTok != m.New.InputUsdPerMTok || m.Old.OutputUsdPerMTok != m.New.OutputUsdPerMTok))
            .ToDictionary(m => m.Model, m => (Old: m.Old!, New: m.New!), StringComparer.Ordinal);
        foreach (var (model, (old, now)) in changed)
        {
            if (old.OutputUsdPerMTok == 0 && now.OutputUsdPerMTok != 0)
            {
                throw new ArgumentException($"{model}: its costs were recorded at an output price of 0, so the answer's tokens are unknown and a new output price cannot be applied.", nameof(priced));
            }
        }

        if (changed.Count == 0)
        {
            return scores;
        }

        return [.. scores.Select(s =>
        {
            var promptTokens = tokens.Count(s.Prompt);
            var costs = s.CostsUsd.ToDictionary(
                c => c.Key, c => changed.TryGetValue(c.Key, out var prices) ? Repriced(c.Value, promptTokens, prices.Old, prices.New) : c.Value,
                StringComparer.Ordinal);
            return s with { CostsUsd = costs };
        })];
    }

    private static double Repriced(double recorded, int promptTokens, CatalogueModel old, CatalogueModel now)
    {
        var promptPart = Math.Min(recorded, promptTokens * old.InputUsdPerMTok / 1e6);
        var answerPart = recorded - promptPart;
        var newPromptPart = old.InputUsdPerMTok > 0 ? promptPart * now.InputUsdPerMTok / old.InputUsdPerMTok : promptTokens * now.InputUsdPerMTok / 1e6;
        var newAnswerPart = old.OutputUsdPerMTok > 0 ? answerPart * now.OutputUsdPerMTok / old.OutputUsdPerMTok : 0;
        return newPromptPart + newAnswerPart;
    }
}
