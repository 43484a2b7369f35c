namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>Options of <see cref="BattleLabeler"/>.</summary>
public sealed class LabelingOptions
{
    /// <summary>The models that answer each prompt (two or more, distinct names); every pair of them is judged.</summary>
    public IList<LabelingModel> Contestants { get; } = new List<LabelingModel>();

    /// <summary>The judge that compares two answers with MT-Bench's pairwise prompt.</summary>
    public LabelingModel? Judge { get; set; }

    /// <summary>The journal of finished calls (JSON lines) that makes a run resumable. Required.</summary>
    public string JournalPath { get; set; } = "";

    /// <summary>How many prompts are labeled at once (each asks one model at a time). Default: 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// The most the whole job may cost in USD, calls already in the journal included; none when null. A call starts only
    /// if its worst case (input tokens bounded by the UTF-8 bytes of its messages, and all of its allowed output tokens)
    /// still fits under the limit, so the limit is never passed.
    /// </summary>
    public decimal? MaxUsd { get; set; }

    /// <summary>The contestants' answer limit (<c>max_tokens</c>). Default: 1024.</summary>
    public int MaxAnswerTokens { get; set; } = 1024;

    /// <summary>The judge's limit (<c>max_tokens</c>). Default: 512.</summary>
    public int MaxJudgeTokens { get; set; } = 512;

    /// <summary>Checks the options; throws naming the first wrong one.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (Contestants.Count < 2)
        {
            throw new ArgumentException($"{nameof(Contestants)}: labeling needs at least two models; {Contestants.Count} given.");
        }

        if (Contestants.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != Contestants.Count)
        {
            throw new ArgumentException($"{nameof(Contestants)}: model names must differ ({string.Join(", ", Contestants.Select(c => c.Name))}).");
        }

        _ = Judge ?? throw new ArgumentException($"{nameof(Judge)}: a judge model is required.");
        ArgumentException.ThrowIfNullOrWhiteSpace(JournalPath, nameof(JournalPath));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1, nameof(MaxConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAnswerTokens, 1, nameof(MaxAnswerTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxJudgeTokens, 1, nameof(MaxJudgeTokens));
        if (MaxUsd is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(MaxUsd));
        }
    }
}
