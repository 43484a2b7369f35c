namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>What a labeling run produced and spent.</summary>
public sealed class LabelingResult
{
    internal LabelingResult(IReadOnlyList<LabeledBattle> battles, int promptsFailed, string? firstFailure, bool stoppedByBudget,
        int callsMade, int callsReused, int unreadableVerdicts, LabelingProgress totals)
    {
        Battles = battles;
        PromptsFailed = promptsFailed;
        FirstFailure = firstFailure;
        StoppedByBudget = stoppedByBudget;
        CallsMade = callsMade;
        CallsReused = callsReused;
        UnreadableVerdicts = unreadableVerdicts;
        Totals = totals;
    }

    /// <summary>The battles of every fully labeled prompt, by prompt then pair.</summary>
    public IReadOnlyList<LabeledBattle> Battles { get; }

    /// <summary>Prompts left unfinished because a call failed after its retries (a rerun asks them again).</summary>
    public int PromptsFailed { get; }

    /// <summary>The first failure's message, if any prompt failed.</summary>
    public string? FirstFailure { get; }

    /// <summary>Whether the run stopped because the next call's worst case would have passed <see cref="LabelingOptions.MaxUsd"/>.</summary>
    public bool StoppedByBudget { get; }

    /// <summary>Calls made (and paid for) in this run.</summary>
    public int CallsMade { get; }

    /// <summary>Calls read back from the journal instead of being asked again.</summary>
    public int CallsReused { get; }

    /// <summary>Judgements with none of <c>[[A]]</c>, <c>[[B]]</c>, <c>[[C]]</c>; each makes its battle a tie.</summary>
    public int UnreadableVerdicts { get; }

    /// <summary>Calls, tokens and USD of the whole job, journaled calls included.</summary>
    public LabelingProgress Totals { get; }
}
