using RouteLLM.MLNet.Data;

namespace RouteLLM.LearningCurve;

/// <summary>A user's traffic replayed from recorded outcomes: distinct prompts and each model's recorded quality on them.</summary>
/// <param name="Name">The data set's name.</param>
/// <param name="Prompts">Distinct prompts.</param>
/// <param name="Qualities">Per prompt, the strong and the weak model's recorded quality.</param>
/// <param name="Excluded">Rows left out, by reason (the loaders' skipped rows included), so that none goes unreported.</param>
internal sealed record ReplayTraffic(
    string Name, IReadOnlyList<string> Prompts, IReadOnlyList<IReadOnlyDictionary<string, double>> Qualities, IReadOnlyDictionary<string, int> Excluded)
{
    /// <summary>
    /// MMLU without the gold rows (every subject has some in ../shared/data/gold/mmlu_gold.csv, so the rows are held out,
    /// not whole subjects) and without RouteLLM's contaminated prompts; a prompt text that occurs twice keeps its first row.
    /// Quality is 1/0 correctness.
    /// </summary>
    public static ReplayTraffic Mmlu(string dataDirectory)
    {
        var mmlu = BenchmarkLoader.LoadMmlu(dataDirectory);
        var gold = BenchmarkLoader.LoadGold(Path.Combine(new DataLayout(dataDirectory).Gold, "mmlu_gold.csv")).Prompts.Select(p => p.Prompt).ToHashSet(StringComparer.Ordinal);
        var notGold = mmlu.Prompts.Where(p => !gold.Contains(p.Prompt)).ToArray();
        var clean = notGold.Where(p => !mmlu.ContaminatedPrompts.Contains(p.Prompt)).ToArray();
        var rows = clean.DistinctBy(p => p.Prompt, StringComparer.Ordinal).ToArray();
        var excluded = new Dictionary<string, int>(mmlu.Skipped, StringComparer.Ordinal)
        {
            ["in the gold set"] = mmlu.Prompts.Count - notGold.Length,
            ["contaminated"] = notGold.Length - clean.Length,
            ["repeated prompt text"] = clean.Length - rows.Length,
        };
        return new("mmlu (gold rows held out)", [.. rows.Select(r => r.Prompt)], [.. rows.Select(r => Recorded(r.StrongQuality, r.WeakQuality))], excluded);
    }

    /// <summary>
    /// AlpacaEval's 805 prompts, quality from the recorded GPT-4 verdicts of gpt-4-1106-preview against
    /// mixtral-8x7b-instruct-v0.1: the strong model's share of wins over a prompt's battles (a tie is half), the weak
    /// model's the rest. The replay judge prefers the model with the larger share (a tie when they are equal).
    /// </summary>
    public static ReplayTraffic AlpacaEval(string dataDirectory)
    {
        var battles = ArenaBattles.Read(new DataLayout(dataDirectory).Preferences);
        var pair = battles.Items
            .Where(b => (b.ModelA, b.ModelB) is (RouteLLMModels.Strong, RouteLLMModels.Weak) or (RouteLLMModels.Weak, RouteLLMModels.Strong))
            .GroupBy(b => b.Prompt, StringComparer.Ordinal)
            .Select(g => (Prompt: g.Key, Strong: g.Average(b => b.ModelA == RouteLLMModels.Strong ? b.Label : 1 - b.Label)))
            .ToArray();
        var excluded = battles.Skipped.ToDictionary(reason => reason.Key, reason => reason.Value, StringComparer.Ordinal);
        return new("alpacaeval", [.. pair.Select(p => p.Prompt)], [.. pair.Select(p => Recorded(p.Strong, 1 - p.Strong))], excluded);
    }

    private static Dictionary<string, double> Recorded(double strong, double weak) =>
        new Dictionary<string, double>(StringComparer.Ordinal) { [RouteLLMModels.Strong] = strong, [RouteLLMModels.Weak] = weak };
}
