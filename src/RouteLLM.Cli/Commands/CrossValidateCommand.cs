using System.CommandLine;
using System.Globalization;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary>
/// <c>routellm crossvalidate mf|sw|difficulty</c>: RouterBench's measure (AIQ of the router, the zero router and the oracle) of a
/// router kind trained and scored by K-fold cross-validation by prompt, on RouterBench or scored CSVs (<c>--scores</c>,
/// one benchmark per file) or on AlpacaEval's verdicts against gpt-4-1106-preview (<c>--benchmark alpacaeval</c>).
/// </summary>
internal static class CrossValidateCommand
{
    private const string AlpacaEval = "alpacaeval";

    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "Router kind to cross-validate: mf, sw, or difficulty (its deviation weight chosen by inner cross-validation on AIQ)." };
        kind.AcceptOnlyFromAmong([.. MultiModelRecipes.Kinds]);
        var scores = new Option<FileInfo[]>("--scores")
        {
            Description = "RouterBench CSV or scored CSV ('prompt' plus one score column per model); one benchmark per file; repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var benchmark = new Option<string?>("--benchmark") { Description = "'alpacaeval': each model's verdict against gpt-4-1106-preview on DATA's battles (win 1, tie 0.5, loss 0)." };
        benchmark.AcceptOnlyFromAmong(AlpacaEval);
        var data = DataCommand.DataDirectoryOption();
        var catalogue = new Option<FileInfo?>("--catalogue") { Description = "Model catalogue (prices, aliases); default for alpacaeval: DATA/models/catalogue.csv. Scores with real costs need none." };
        var folds = new Option<int>("--folds") { Description = "Folds, split by prompt.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds, the trainers and the bootstrap.", DefaultValueFactory = _ => 0 };
        var neighbours = new Option<int>("--neighbours") { Description = "sw: training prompts each model's score is averaged over.", DefaultValueFactory = _ => 20 };
        var shrinkage = new Option<double?>("--shrinkage") { Description = "sw: pseudo-prompts pulling each model's neighbour mean toward its overall mean; default: chosen by leave-one-out within each training fold." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the evaluations as JSON." };
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("crossvalidate", "Cross-validate a multi-model router kind by prompt and report AIQ against the zero router and the oracle.")
        {
            kind, scores, benchmark, data, catalogue, folds, seed, neighbours, shrinkage, json, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var catalogueFile = result.GetValue(catalogue)?.FullName
                ?? (result.GetValue(benchmark) is AlpacaEval ? Path.Combine(result.GetValue(data)!.FullName, "models", "catalogue.csv") : null);
            var prices = catalogueFile is null ? null : ModelCatalogue.Read(catalogueFile);
            var readOptions = CliOptions.ReadOptions(result, skipBadRows);
            if (prices is not null)
            {
                readOptions.Aliases = prices.Aliases;
            }

            var benchmarks = new List<(string Name, IReadOnlyList<ScoredPrompt> Scores)>();
            foreach (var file in result.GetValue(scores) ?? [])
            {
                var read = ScoredPrompts.Read(file.FullName, readOptions);
                CliOptions.ReportSkipped(file.FullName, read.Skipped);
                benchmarks.Add((Path.GetFileNameWithoutExtension(file.Name), read.Items));
            }

            if (result.GetValue(benchmark) is AlpacaEval)
            {
                var battlesPath = new DataLayout(result.GetValue(data)!.FullName).Preferences;
                var battles = ArenaBattles.Read(battlesPath, readOptions);
                CliOptions.ReportSkipped(battlesPath, battles.Skipped);
                benchmarks.Add((AlpacaEval, MultiModelRecipes.AlpacaEvalScores(battles.Items, readOptions.Aliases)));
            }

            if (benchmarks.Count == 0)
            {
                throw new ArgumentException("Name --scores FILE or --benchmark alpacaeval.");
            }

            var routerKind = result.GetValue(kind)!;
            var evaluations = new List<MultiModelEvaluation>();
            foreach (var (name, scored) in benchmarks)
            {
                var table = await TrainCommand.EmbedPromptsAsync(scored.Select(s => s.Prompt), cancellationToken);
                var train = MultiModelRecipes.Trainer(
                    routerKind, table, prices, result.GetValue(folds), result.GetValue(seed), result.GetValue(neighbours), result.GetValue(shrinkage));
                var options = new MultiModelOptions { RouterName = $"{routerKind} ({result.GetValue(folds)}-fold)", Seed = result.GetValue(seed) };
                var evaluation = await AnsiConsole.Status().StartAsync($"cross-validating {routerKind} on {Markup.Escape(name)}", _ => Task.Run(
                    () => MultiModelCrossValidation.Evaluate(name, scored, table, train, prices, result.GetValue(folds), options), cancellationToken));
                evaluations.Add(evaluation);
            }

            AnsiConsole.Write(Summary(evaluations));
            if (result.GetValue(json) is { } output)
            {
                EvaluationJson.Write(evaluations, output.FullName);
                Console.WriteLine($"wrote {output.FullName}");
            }

            return 0;
        }));
        return command;
    }

    private static Table Summary(IEnumerable<MultiModelEvaluation> evaluations)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("benchmark").AddColumn("prompts").AddColumn("models").AddColumn("router AIQ [[95% CI]]").AddColumn("zero router AIQ [[95% CI]]")
            .AddColumn("oracle AIQ").AddColumn("AIQ − zero [[95% CI]]").AddColumn("gap closed");
        string Interval(double value, ConfidenceInterval ci) =>
            Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{value:F4} [{ci.Lower:F4}, {ci.Upper:F4}]"));
        foreach (var e in evaluations)
        {
            table.AddRow(
                Markup.Escape(e.Benchmark), e.Prompts.ToString(CultureInfo.InvariantCulture), e.Models.Count.ToString(CultureInfo.InvariantCulture),
                Interval(e.Aiq, e.Ci95.Aiq), Interval(e.ZeroRouterAiq, e.Ci95.ZeroRouterAiq), e.OracleAiq.ToString("F4", CultureInfo.InvariantCulture),
                Interval(e.Aiq - e.ZeroRouterAiq, e.Ci95.AiqOverZeroRouter), e.GapClosed?.ToString("P1", CultureInfo.InvariantCulture) ?? "–");
        }

        return table;
    }
}
