using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>
    /// The common flow of routers that read embeddings: read battles and gold, embed every distinct prompt once
    /// (cached), then train: on the battles alone, with gold at a fixed weight, or with the candidate that
    /// cross-validation over held-out gold and battle prompts picks (<c>--gold-weight auto</c>).
    /// </summary>
    private static async Task<int> RunEmbeddingRouterAsync<TModel>(
        ParseResult result, TrainingOptions shared, Func<MLContext, EmbedderInfo, int, IEstimator<RouterTransformer<TModel>>> createTrainer,
        Func<MLContext, EmbedderInfo, int, IReadOnlyList<SelectionCandidate<TModel>>> createCandidates, CancellationToken cancellationToken)
        where TModel : RouterModel
    {
        if (result.GetValue(shared.Scores) is { Length: > 0 })
        {
            return await RunOnScoresAsync(result, shared, createTrainer, cancellationToken);
        }

        var seed = result.GetValue(shared.Seed);
        var ml = new MLContext(seed);
        var (battles, gold) = shared.ReadBattles(result);
        var table = await EmbedPromptsAsync(battles.Concat(gold).Select(b => b.Prompt), cancellationToken);

        var goldWeight = shared.GoldWeight(result);
        RouterModel model;
        if (gold.Count == 0 || goldWeight is not null)
        {
            var trainer = createTrainer(ml, table.Embedder, seed);
            var training = GoldBattles.Augment(battles, gold, goldWeight ?? 0);
            model = await AnsiConsole.Status().StartAsync($"training on {training.Count} battles", _ =>
                Task.Run(() => (RouterModel)trainer.Fit(table.LoadBattles(ml, training)).Model, cancellationToken));
        }
        else
        {
            var candidates = createCandidates(ml, table.Embedder, seed);
            var selector = new GoldAugmentationSelector(ml, new GoldAugmentationSelector.Options { Folds = result.GetValue(shared.Folds), Seed = seed });
            GoldAugmentationSelection selection = null!;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
            {
                var task = context.AddTask($"cross-validating {candidates.Count} candidates", maxValue: 1);
                var progress = new SyncProgress<double>(share => task.Value = share);
                selection = await Task.Run(() => selector.Select(candidates, table, battles, gold, progress, cancellationToken), cancellationToken);
            });
            AnsiConsole.Write(SelectionTable(selection));
            model = await AnsiConsole.Status().StartAsync($"training on {Markup.Escape(selection.Best.Name)}", _ =>
                Task.Run(() => selector.Fit(candidates, table, battles, gold, selection), cancellationToken));
        }

        shared.Save(result, model);
        return 0;
    }

    /// <summary>Embeds every distinct prompt once with the default embedder (cached on disk), with a progress bar.</summary>
    internal static async Task<PromptEmbeddingTable> EmbedPromptsAsync(IEnumerable<string> prompts, CancellationToken cancellationToken)
    {
        using var embedder = Embedders.Default();
        PromptEmbeddingTable table = null!;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
        {
            var task = context.AddTask("embedding prompts", maxValue: 1);
            var progress = new SyncProgress<(int Done, int Total)>(p => (task.MaxValue, task.Value) = (p.Total, p.Done));
            table = await PromptEmbeddingTable.CreateAsync(embedder, prompts, progress: progress, cancellationToken: cancellationToken);
        });
        return table;
    }

    private static Table SelectionTable(GoldAugmentationSelection selection)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("candidate").AddColumn("criterion (mean ± se)").AddColumn("held-out gold APGR").AddColumn("held-out battle APGR").AddColumn("chosen");
        string MeanAndError(CandidateScore score, Func<FoldScore, double> value) =>
            string.Create(CultureInfo.InvariantCulture, $"{score.Mean(value):F3} ± {score.StandardError(value):F3}");
        foreach (var candidate in selection.Candidates)
        {
            table.AddRow(
                Markup.Escape(candidate.Name),
                MeanAndError(candidate, f => f.Criterion),
                MeanAndError(candidate, f => f.Gold.Apgr),
                MeanAndError(candidate, f => f.Battles?.Apgr ?? double.NaN),
                candidate == selection.Best ? "✓" : "");
        }

        return table;
    }

    /// <summary>Options every <c>train</c> subcommand takes.</summary>
    private sealed class TrainingOptions
    {
        private (ParseResult Result, CatalogueNames Names)? _names;

        public Option<DirectoryInfo> Data { get; } = DataCommand.DataDirectoryOption();

        public Option<FileSystemInfo?> Battles { get; } = new("--battles")
        {
            Description = "Battles CSV (Chatbot Arena schema) or a folder of them; default: DATA/preferences.",
        };

        public Option<FileSystemInfo?> Gold { get; } = new("--gold")
        {
            Description = "Gold labels (MMLU-style CSV with correctness per model) turned into strong-vs-weak battles; a file or folder.",
        };

        public Option<DirectoryInfo?> DecisionLog { get; } = new("--decision-log")
        {
            Description = "A routing server's decision-log folder: its feedback becomes battles on the logged prompts (docs/OWN_TRAFFIC.md).",
        };

        public Option<DirectoryInfo?> Feedback { get; } = new("--feedback")
        {
            Description = "Folder of feedback-*.jsonl for --decision-log, when kept apart from it (default: the decision-log folder).",
        };

        public Option<string> GoldWeightOption { get; } = new("--gold-weight")
        {
            Description = "Sample weight of gold battles, or 'auto' to choose the training data and settings by cross-validation over held-out gold and battle prompts.",
            DefaultValueFactory = _ => "auto",
        };

        public Option<int> Folds { get; } = new("--folds") { Description = "Folds for --gold-weight auto.", DefaultValueFactory = _ => new GoldAugmentationSelector.Options().Folds };

        public Option<string?> Strong { get; } = CliOptions.Strong();

        public Option<string?> Weak { get; } = CliOptions.Weak();

        public Option<FileInfo?> OutputFile { get; } = new("--output") { Description = "Router zip to write; default artifacts/<kind>.zip." };

        public Option<int> Seed { get; } = new("--seed") { Description = "Seed for every random choice.", DefaultValueFactory = _ => new GoldAugmentationSelector.Options().Seed };

        public Option<bool> SkipBadRows { get; } = CliOptions.SkipBadRows();

        public Option<FileSystemInfo[]> Scores { get; } = ScoresOption();

        public Option<FileInfo?> Catalogue { get; } = CatalogueOption();

        public static TrainingOptions AddTo(Command command)
        {
            var options = new TrainingOptions();
            foreach (var option in new Option[]
            {
                options.Data, options.Battles, options.Gold, options.GoldWeightOption, options.Folds, options.Strong, options.Weak,
                options.OutputFile, options.Seed, options.SkipBadRows, options.Scores,
                options.DecisionLog, options.Feedback, options.Catalogue,
            })
            {
                command.Add(option);
            }

            return options;
        }

        public TOptions Apply<TOptions>(ParseResult result, TOptions options)
            where TOptions : RouterTrainerOptions
        {
            var names = Names(result);
            options.StrongModel = names.Canonical(result.GetValue(Strong) ?? RouteLLMModels.Strong);
            options.WeakModel = names.Canonical(result.GetValue(Weak) ?? RouteLLMModels.Weak);
            return options;
        }

        /// <summary>The names of <c>--catalogue</c>, read once per command line.</summary>
        public CatalogueNames Names(ParseResult result)
        {
            if (_names is not { } names || names.Result != result)
            {
                _names = names = (result, CatalogueNames.Read(result, Catalogue));
            }

            return names.Names;
        }

        /// <summary>Options for the data readers: <c>--skip-bad-rows</c>, and the aliases of <c>--catalogue</c>.</summary>
        public DataReadOptions ReadOptions(ParseResult result) => Names(result).ReadOptions(CliOptions.ReadOptions(result, SkipBadRows));

        /// <summary>Saves the router with the catalogue models it knows recorded, to <c>--output</c> or artifacts/KIND.zip.</summary>
        public void Save(ParseResult result, RouterModel model) =>
            TrainCommand.Save(Names(result).Record(model), Output(result, model.Manifest.Kind));

        public float? GoldWeight(ParseResult result)
        {
            var text = result.GetValue(GoldWeightOption)!;
            if (text == "auto")
            {
                return null;
            }

            return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && float.IsFinite(weight) && weight >= 0
                ? weight
                : throw new ArgumentException($"--gold-weight '{text}' is neither 'auto' nor a number ≥ 0.");
        }

        /// <summary>Reads battles and gold; <paramref name="readBattles"/> is set by the --scores path only, null elsewhere.</summary>
        public (IReadOnlyList<Battle> Battles, IReadOnlyList<Battle> Gold) ReadBattles(ParseResult result, bool? readBattles = null)
        {
            if (readBattles is null && result.GetValue(Scores) is { Length: > 0 })
            {
                throw new ArgumentException($"'{result.CommandResult.Command.Name}' routers do not learn from --scores; mf and sw do.");
            }

            var readOptions = ReadOptions(result);
            var layout = new DataLayout(result.GetValue(Data)!.FullName);
            var battlesPath = result.GetValue(Battles)?.FullName ?? layout.Preferences;
            var battles = readBattles ?? true ? ArenaBattles.Read(battlesPath, readOptions) : new ReadResult<Battle>([], new SkippedRows());
            CliOptions.ReportSkipped(battlesPath, battles.Skipped);
            IReadOnlyList<Battle> gold = [];
            if (result.GetValue(Gold) is { } goldPath)
            {
                var strong = result.GetValue(Strong) ?? RouteLLMModels.Strong;
                var weak = result.GetValue(Weak) ?? RouteLLMModels.Weak;
                var goldData = BenchmarkLoader.LoadGold(goldPath.FullName, strong, weak, readOptions);
                CliOptions.ReportSkipped(goldPath.FullName, goldData.Skipped);
                gold = goldData.ToBattles(weight: 1f);
            }

            var items = battles.Items;
            if (result.GetValue(Feedback) is not null && result.GetValue(DecisionLog) is null)
            {
                throw new ArgumentException("--feedback needs --decision-log: feedback names responses that the decision log holds.");
            }

            if (result.GetValue(DecisionLog) is { } log)
            {
                var feedback = FeedbackBattles.Read(log.FullName, result.GetValue(Feedback)?.FullName, readOptions);
                CliOptions.ReportSkipped(log.FullName, feedback.Skipped);
                Console.WriteLine($"{feedback.Items.Count} battles from feedback");
                items = [.. items, .. feedback.Items];
            }

            Console.WriteLine($"{battles.Items.Count} battles, {gold.Count} gold battles");
            return (items, gold);
        }

        public FileInfo Output(ParseResult result, string kind) =>
            result.GetValue(OutputFile) ?? new FileInfo(Path.Combine("artifacts", $"{kind}.zip"));
    }
}
