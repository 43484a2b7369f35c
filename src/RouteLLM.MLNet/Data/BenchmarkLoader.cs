namespace RouteLLM.MLNet.Data;

/// <summary>
/// Loads routing benchmarks from a data folder laid out as RouteLLM's repository lays them out (see
/// <see cref="DataLayout"/>), with RouteLLM's semantics (<c>routellm/evals/benchmarks.py</c>), or from a scored CSV.
/// Models are given by canonical name; a column or judgement spelled with an alias of it is found too.
/// </summary>
public static class BenchmarkLoader
{
    /// <summary>Name of RouteLLM's MMLU benchmark.</summary>
    public const string Mmlu = "mmlu";

    /// <summary>Name of RouteLLM's MT-Bench benchmark.</summary>
    public const string MtBench = "mt-bench";

    /// <summary>Name of RouteLLM's GSM8K benchmark.</summary>
    public const string Gsm8k = "gsm8k";

    /// <summary>Name given to a benchmark read from a scored CSV.</summary>
    public const string Csv = "csv";

    /// <summary>Name given to gold labels.</summary>
    public const string Gold = "gold";

    // RouteLLM's ALL_MMLU_DOMAINS (routellm/evals/mmlu/domains.py): the order in which it concatenates the files.
    internal static readonly string[] MmluSubjects =
    [
        "high_school_european_history", "business_ethics", "clinical_knowledge", "medical_genetics", "high_school_us_history",
        "high_school_physics", "high_school_world_history", "virology", "high_school_microeconomics", "econometrics",
        "college_computer_science", "high_school_biology", "abstract_algebra", "professional_accounting", "philosophy",
        "professional_medicine", "nutrition", "global_facts", "machine_learning", "security_studies", "public_relations",
        "professional_psychology", "prehistory", "anatomy", "human_sexuality", "college_medicine",
        "high_school_government_and_politics", "college_chemistry", "logical_fallacies", "high_school_geography",
        "elementary_mathematics", "human_aging", "college_mathematics", "high_school_psychology", "formal_logic",
        "high_school_statistics", "international_law", "high_school_mathematics", "high_school_computer_science",
        "conceptual_physics", "miscellaneous", "high_school_chemistry", "marketing", "professional_law", "management",
        "college_physics", "jurisprudence", "world_religions", "sociology", "us_foreign_policy", "high_school_macroeconomics",
        "computer_security", "moral_scenarios", "moral_disputes", "electrical_engineering", "astronomy", "college_biology",
    ];

    /// <summary>The benchmarks <see cref="Load"/> knows by name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mmlu, MtBench, Gsm8k];

    /// <summary>Loads RouteLLM's benchmark <paramref name="name"/> (one of <see cref="Names"/>) from a data folder.</summary>
    /// <param name="name"><c>mmlu</c>, <c>mt-bench</c> or <c>gsm8k</c>.</param>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="strongModel">The strong model.</param>
    /// <param name="weakModel">The weak model.</param>
    /// <param name="options">Error policy and model aliases; null for the defaults.</param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static BenchmarkData Load(string name, string dataDirectory, string strongModel = RouteLLMModels.Strong,
        string weakModel = RouteLLMModels.Weak, DataReadOptions? options = null) => name switch
    {
        Mmlu => LoadMmlu(dataDirectory, strongModel, weakModel, options),
        MtBench => LoadMtBench(dataDirectory, strongModel, weakModel, options),
        Gsm8k => LoadGsm8k(dataDirectory, strongModel, weakModel, options),
        _ => throw new ArgumentException($"Unknown benchmark '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// MMLU: every <c>mmlu_*.csv</c> of <c>routellm/mmlu/responses/</c>, concatenated in RouteLLM's subject order, one
    /// prompt per row with 1/0 correctness per model, and <c>contaminated_prompts.jsonl</c>. Like RouteLLM, the 105
    /// prompt strings that occur twice (in different subjects) stay two prompts, and both are dropped when listed.
    /// </summary>
    /// <inheritdoc cref="Load" path="/param"/>
    public static BenchmarkData LoadMmlu(string dataDirectory, string strongModel = RouteLLMModels.Strong,
        string weakModel = RouteLLMModels.Weak, DataReadOptions? options = null)
    {
        options = Check(strongModel, weakModel, options);
        var layout = new DataLayout(dataDirectory);
        var files = DataLayout.FilesIn(layout.MmluResponses, "mmlu_*.csv")
            .OrderBy(f => Array.IndexOf(MmluSubjects, Path.GetFileNameWithoutExtension(f)["mmlu_".Length..]) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(f => f, StringComparer.Ordinal);
        return FromScoredFiles(Mmlu, files, strongModel, weakModel, options, layout.MmluContaminatedPrompts);
    }

    /// <summary>
    /// MT-Bench: the 80 questions of <c>question.jsonl</c>, routed on their first turn, with each model's mean GPT-4
    /// grade over both turns from <c>judgements.jsonl</c> (negative grades skipped and counted). A question is
    /// contaminated when any of its turns is in <c>contaminated_prompts.jsonl</c> (RouteLLM's rule); its first turn
    /// is then in <see cref="BenchmarkData.ContaminatedPrompts"/>.
    /// </summary>
    /// <inheritdoc cref="Load" path="/param"/>
    public static BenchmarkData LoadMtBench(string dataDirectory, string strongModel = RouteLLMModels.Strong,
        string weakModel = RouteLLMModels.Weak, DataReadOptions? options = null)
    {
        options = Check(strongModel, weakModel, options);
        return MtBenchReader.Load(new DataLayout(dataDirectory), strongModel, weakModel, options);
    }

    /// <summary>
    /// GSM8K: <c>routellm/gsm8k/gsm8k_responses.csv</c> (<c>prompt</c>, a True/False column per model, and
    /// <c>&lt;model&gt;_response</c> text columns, which are ignored) and <c>contaminated_prompts.jsonl</c>.
    /// </summary>
    /// <inheritdoc cref="Load" path="/param"/>
    public static BenchmarkData LoadGsm8k(string dataDirectory, string strongModel = RouteLLMModels.Strong,
        string weakModel = RouteLLMModels.Weak, DataReadOptions? options = null)
    {
        options = Check(strongModel, weakModel, options);
        var layout = new DataLayout(dataDirectory);
        return FromScoredFiles(Gsm8k, [layout.Gsm8kResponses], strongModel, weakModel, options, layout.Gsm8kContaminatedPrompts);
    }

    /// <summary>
    /// A scored CSV: <c>prompt</c> plus one column per model holding True/False or a number; an empty cell means no
    /// score, and its row is skipped and counted. No contamination list.
    /// </summary>
    /// <param name="path">The CSV file, or a folder whose <c>*.csv</c> files are read in name order.</param>
    /// <param name="strongColumn">The strong model's column (its header, or a model name one of whose aliases is the header).</param>
    /// <param name="weakColumn">The weak model's column.</param>
    /// <param name="options">Error policy and model aliases; null for the defaults.</param>
    public static BenchmarkData LoadScoredCsv(string path, string strongColumn, string weakColumn, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options = Check(strongColumn, weakColumn, options);
        return FromScoredFiles(Csv, DataLayout.FilesIn(path, "*.csv"), strongColumn, weakColumn, options, contaminationList: null);
    }

    /// <summary>
    /// Gold labels (the paper's D_gold, e.g. <c>gold/mmlu_gold.csv</c>: MMLU's columns plus <c>subject</c>): a scored CSV
    /// with RouteLLM's model columns. Turn them into battles with <see cref="BenchmarkData.ToBattles"/>; a router
    /// trained on them must be evaluated without these prompts.
    /// </summary>
    /// <param name="path">A gold CSV, or a folder of them (such as <see cref="DataLayout.Gold"/>).</param>
    /// <param name="strongModel">The strong model.</param>
    /// <param name="weakModel">The weak model.</param>
    /// <param name="options">Error policy and model aliases; null for the defaults.</param>
    public static BenchmarkData LoadGold(string path, string strongModel = RouteLLMModels.Strong,
        string weakModel = RouteLLMModels.Weak, DataReadOptions? options = null) =>
        LoadScoredCsv(path, strongModel, weakModel, options) with { Name = Gold };

    /// <summary>The <c>eval_prompt</c> of each line of a RouteLLM <c>contaminated_prompts.jsonl</c>.</summary>
    internal static HashSet<string> ReadContaminatedPrompts(string file, DataReadOptions options, SkippedRows skipped)
    {
        var bad = new BadRows(file, options.SkipBadRows, skipped);
        var prompts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, row) in JsonLines.Read(file, bad))
        {
            if (JsonLines.TryGetString(row, "eval_prompt", line, bad, out var prompt))
            {
                prompts.Add(prompt);
            }
        }

        return prompts;
    }

    private static DataReadOptions Check(string strongModel, string weakModel, DataReadOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(strongModel);
        ArgumentException.ThrowIfNullOrWhiteSpace(weakModel);
        options ??= new DataReadOptions();
        return options.Aliases.AreSame(strongModel, weakModel)
            ? throw new ArgumentException($"The strong and weak models are the same model ('{strongModel}', '{weakModel}').")
            : options;
    }

    private static BenchmarkData FromScoredFiles(string name, IEnumerable<string> files, string strongModel, string weakModel,
        DataReadOptions options, string? contaminationList)
    {
        var prompts = new List<BenchmarkPrompt>();
        var skipped = new SkippedRows();
        foreach (var file in files)
        {
            ScoredCsv.Read(file, strongModel, weakModel, options, prompts, skipped);
        }

        var contaminated = contaminationList is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : ReadContaminatedPrompts(contaminationList, options, skipped);
        return new BenchmarkData(name, options.Aliases.Canonical(strongModel), options.Aliases.Canonical(weakModel), prompts, contaminated, skipped);
    }
}
