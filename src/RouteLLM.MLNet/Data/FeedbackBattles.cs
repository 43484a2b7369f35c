namespace RouteLLM.MLNet.Data;

/// <summary>
/// Turns a routing server's feedback into strong-vs-weak battles on the logged prompts (docs/OWN_TRAFFIC.md):
/// <list type="bullet">
/// <item><c>preferred_model</c> names the winner: the strong model or the weak one.</item>
/// <item><c>rating: -1</c> on the weak model's answer: the strong model wins (the weak one did not do).</item>
/// <item><c>rating: 1</c> on the weak model's answer: the weak model wins (it did).</item>
/// <item>a rating of the strong model's answer says nothing about the weak one: a tie (SW counts it, MF drops it).</item>
/// </list>
/// A multi-model policy's response (<see cref="DecisionLogEntry.Predictions"/>) is judged against the most expensive model
/// it ranked, which plays the strong model: <c>rating: -1</c> on a cheaper model's answer makes the most expensive model
/// win against it, <c>rating: 1</c> the cheaper model; <c>preferred_model</c> naming another ranked model makes that model
/// win against the one that answered, and naming the one that answered makes it win against the most expensive. A rating
/// of the most expensive model's own answer, and a preference for it when it answered, are skipped and counted.
/// The last feedback on a response counts. Feedback whose response is not in the log, or whose prompt text was not
/// logged (<c>IncludePrompt</c> off), is skipped and counted.
/// </summary>
public static class FeedbackBattles
{
    /// <summary>Reads the decisions of <paramref name="decisionLogDirectory"/> and the feedback of <paramref name="feedbackDirectory"/> (by default the same folder).</summary>
    /// <exception cref="DataFormatException">A line is malformed (unless SkipBadRows).</exception>
    /// <exception cref="DirectoryNotFoundException">A folder does not exist.</exception>
    public static ReadResult<Battle> Read(string decisionLogDirectory, string? feedbackDirectory = null, DataReadOptions? options = null)
    {
        options ??= new DataReadOptions();
        var decisions = DecisionLogFiles.ReadDecisions(decisionLogDirectory, options);
        var feedback = DecisionLogFiles.ReadFeedback(feedbackDirectory ?? decisionLogDirectory, options);
        var skipped = new SkippedRows();
        foreach (var (reason, count) in decisions.Skipped.Concat(feedback.Skipped))
        {
            skipped.Add(reason, count);
        }

        var byId = new Dictionary<string, DecisionLogEntry>(StringComparer.Ordinal);
        foreach (var decision in decisions.Items)
        {
            byId[decision.Id] = decision;
            if (decision.UpstreamId is { } upstreamId)
            {
                byId.TryAdd(upstreamId, decision);
            }
        }

        var battles = new List<Battle>();
        var latest = feedback.Items.GroupBy(f => f.ResponseId, StringComparer.Ordinal).Select(g => g.Last());
        foreach (var verdict in latest)
        {
            if (!byId.TryGetValue(verdict.ResponseId, out var decision))
            {
                skipped.Add("feedback on a response the decision log does not hold");
            }
            else if (string.IsNullOrWhiteSpace(decision.Prompt))
            {
                skipped.Add("feedback on a response whose prompt was not logged (IncludePrompt off)");
            }
            else if (decision.Predictions is { Count: > 0 })
            {
                AddMultiModel(verdict, decision, options.Aliases, battles, skipped);
            }
            else if (decision.StrongModel is null || decision.WeakModel is null)
            {
                skipped.Add("feedback on a decision with neither a strong/weak pair nor a multi-model ranking");
            }
            else if (Outcome(verdict, decision) is { } outcome)
            {
                battles.Add(new Battle(decision.Prompt.Trim(), options.Aliases.Canonical(decision.StrongModel!), options.Aliases.Canonical(decision.WeakModel!), outcome));
            }
            else
            {
                skipped.Add("preferred_model is neither the strong nor the weak model");
            }
        }

        return new ReadResult<Battle>(battles, skipped);
    }

    private static void AddMultiModel(FeedbackEntry verdict, DecisionLogEntry decision, ModelAliases aliases, List<Battle> battles, SkippedRows skipped)
    {
        var strongest = decision.Predictions!.MaxBy(p => p.CostUsd)!.Model;
        var answered = decision.Model;
        var (winner, loser) = verdict.PreferredModel switch
        {
            null => verdict.Rating < 0 ? (strongest, answered) : (answered, strongest),
            var preferred when preferred == answered => (answered, strongest),
            var preferred when decision.Predictions!.Any(p => p.Model == preferred) => (preferred, answered),
            _ => ("", ""),
        };
        if (winner.Length == 0)
        {
            skipped.Add("preferred_model is not among the models the multi-model policy ranked");
        }
        else if (winner == loser)
        {
            skipped.Add("feedback on the most expensive model's own answer under a multi-model policy (no cheaper model is judged)");
        }
        else
        {
            battles.Add(new Battle(decision.Prompt!.Trim(), aliases.Canonical(winner), aliases.Canonical(loser), BattleOutcome.ModelAWins));
        }
    }

    private static BattleOutcome? Outcome(FeedbackEntry verdict, DecisionLogEntry decision)
    {
        if (verdict.PreferredModel is { } preferred)
        {
            return preferred == decision.StrongModel ? BattleOutcome.ModelAWins
                : preferred == decision.WeakModel ? BattleOutcome.ModelBWins
                : null;
        }

        return decision.Model != decision.WeakModel ? BattleOutcome.Tie
            : verdict.Rating < 0 ? BattleOutcome.ModelAWins
            : BattleOutcome.ModelBWins;
    }
}
