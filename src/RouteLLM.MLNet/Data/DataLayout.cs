namespace RouteLLM.MLNet.Data;

/// <summary>
/// Where the data live under a data folder (default <c>data/</c>): RouteLLM's benchmark files under
/// <c>routellm/{mmlu,mt_bench,gsm8k}/</c> with the names RouteLLM gives them, battle CSVs in <c>preferences/</c>,
/// gold-label CSVs in <c>gold/</c>. <c>routellm data pull</c> fills it.
/// </summary>
/// <param name="root">The data folder.</param>
public sealed class DataLayout(string root)
{
    /// <summary>The data folder used when none is given.</summary>
    public const string DefaultDirectory = "data";

    internal const string MmluFolder = "routellm/mmlu";
    internal const string MtBenchFolder = "routellm/mt_bench";
    internal const string Gsm8kFolder = "routellm/gsm8k";
    internal const string ContaminatedPromptsFile = "contaminated_prompts.jsonl";

    /// <summary>The data folder.</summary>
    public string Root { get; } = string.IsNullOrWhiteSpace(root) ? throw new ArgumentException("The data folder is empty.", nameof(root)) : root;

    /// <summary>The folder of RouteLLM's MMLU response CSVs, <c>mmlu_&lt;subject&gt;.csv</c>.</summary>
    public string MmluResponses => Combine(MmluFolder, "responses");

    /// <summary>RouteLLM's MMLU contamination list.</summary>
    public string MmluContaminatedPrompts => Combine(MmluFolder, ContaminatedPromptsFile);

    /// <summary>MT-Bench's questions, <c>question.jsonl</c>.</summary>
    public string MtBenchQuestions => Combine(MtBenchFolder, "question.jsonl");

    /// <summary>MT-Bench's GPT-4 grades, <c>judgements.jsonl</c>.</summary>
    public string MtBenchJudgements => Combine(MtBenchFolder, "judgements.jsonl");

    /// <summary>RouteLLM's MT-Bench contamination list.</summary>
    public string MtBenchContaminatedPrompts => Combine(MtBenchFolder, ContaminatedPromptsFile);

    /// <summary>RouteLLM's GSM8K responses, <c>gsm8k_responses.csv</c>.</summary>
    public string Gsm8kResponses => Combine(Gsm8kFolder, "gsm8k_responses.csv");

    /// <summary>RouteLLM's GSM8K contamination list.</summary>
    public string Gsm8kContaminatedPrompts => Combine(Gsm8kFolder, ContaminatedPromptsFile);

    /// <summary>The folder of battle CSVs in Chatbot Arena's schema.</summary>
    public string Preferences => Combine("preferences");

    /// <summary>The folder of gold-label CSVs (benchmark columns, e.g. <c>mmlu_gold.csv</c>).</summary>
    public string Gold => Combine("gold");

    /// <summary>
    /// <paramref name="path"/> itself when it is a file, or the files of that folder matching
    /// <paramref name="pattern"/> in ordinal name order.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path does not exist, or the folder has no matching file.</exception>
    internal static IReadOnlyList<string> FilesIn(string path, string pattern)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw Missing(path);
        }

        var files = Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal).ToArray();
        return files.Length > 0 ? files : throw new FileNotFoundException($"{path} holds no {pattern} file.", path);
    }

    /// <summary><paramref name="path"/>, after checking that the file exists.</summary>
    /// <exception cref="FileNotFoundException">It does not.</exception>
    internal static string RequireFile(string path) => File.Exists(path) ? path : throw Missing(path);

    private static FileNotFoundException Missing(string path) =>
        new($"{path} does not exist. Run `routellm data pull` to fetch the public data.", path);

    private string Combine(params string[] parts) => Path.Combine([Root, .. parts.SelectMany(p => p.Split('/'))]);
}
