using System.CommandLine;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Plotting;
using RouteLLM.MLNet.Routers;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm evaluate</c>: RouteLLM's evaluation of one or more routers on one or more benchmarks.</summary>
internal static partial class EvaluateCommand
{
    public static Command Create()
    {
        var routers = new Option<FileInfo[]>("--router")
        {
            Description = "Router zip; repeat to compare several routers.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var benchmarks = new Option<string[]>("--benchmark")
        {
            Description = "mmlu, mt-bench, gsm8k, csv (with --file) or routerbench (with --file); repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        benchmarks.AcceptOnlyFromAmong(BenchmarkLoader.Mmlu, BenchmarkLoader.MtBench, BenchmarkLoader.Gsm8k, BenchmarkLoader.Csv, RouterBench);
        var data = DataCommand.DataDirectoryOption();
        var file = new Option<FileInfo?>("--file") { Description = "For --benchmark csv: a CSV with 'prompt' and one score column per model." };
        var strongColumn = new Option<string?>("--strong-column") { Description = "For --benchmark csv: the strong model's column." };
        var weakColumn = new Option<string?>("--weak-column") { Description = "For --benchmark csv: the weak model's column." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the results as a JSON array (one object per router and benchmark)." };
        var html = new Option<FileInfo?>("--html") { Description = "Write the quality/cost curves as one self-contained HTML file." };
        var png = new Option<FileInfo?>("--png") { Description = "Write the curves as PNG (one per benchmark; needs chromium)." };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95% intervals.", DefaultValueFactory = _ => RoutingMetrics.DefaultBootstrapResamples };
        var skipBadRows = CliOptions.SkipBadRows();
        var catalogue = new Option<FileInfo?>("--catalogue") { Description = "A model catalogue (catalogue.csv or routellm.json): evaluate among many models, RouterBench's way (AIQ)." };
        var command = new Command("evaluate", "Evaluate routers as RouteLLM does: quality vs share of strong calls, PGR, APGR, CPT(20/50/80%), with random and oracle baselines.")
        {
            routers, benchmarks, data, file, strongColumn, weakColumn, json, html, png, resamples, skipBadRows, catalogue,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var readOptions = CliOptions.ReadOptions(result, skipBadRows);
            if (IsMultiModel(result.GetValue(benchmarks)!, result.GetValue(catalogue), result.GetValue(strongColumn)))
            {
                var request = new MultiModelRequest(result.GetValue(routers)!, result.GetValue(benchmarks)!, result.GetValue(file), result.GetValue(catalogue),
                    result.GetValue(resamples), result.GetValue(json), result.GetValue(html), result.GetValue(png));
                return await RunMultiModelAsync(request, readOptions, cancellationToken);
            }

            var loaded = result.GetValue(benchmarks)!.Distinct().Select(name => name == BenchmarkLoader.Csv
                ? LoadCsv(result.GetValue(file), result.GetValue(strongColumn), result.GetValue(weakColumn), readOptions)
                : BenchmarkLoader.Load(name, result.GetValue(data)!.FullName, options: readOptions)).ToArray();
            foreach (var benchmark in loaded)
            {
                CliOptions.ReportSkipped(benchmark.Name, benchmark.Skipped);
            }

            var evaluations = await EvaluateAllAsync(result.GetValue(routers)!, loaded, result.GetValue(resamples), cancellationToken);
            AnsiConsole.Write(Table(evaluations));
            await WriteOutputsAsync(evaluations, result.GetValue(json), result.GetValue(html), result.GetValue(png));
            return 0;
        }));
        return command;
    }

    private static BenchmarkData LoadCsv(FileInfo? file, string? strongColumn, string? weakColumn, DataReadOptions options) =>
        file is null || strongColumn is null || weakColumn is null
            ? throw new ArgumentException("--benchmark csv needs --file, --strong-column and --weak-column.")
            : BenchmarkLoader.LoadScoredCsv(file.FullName, strongColumn, weakColumn, options);

    private static async Task<List<BenchmarkEvaluation>> EvaluateAllAsync(
        FileInfo[] routerFiles, BenchmarkData[] benchmarks, int resamples, CancellationToken cancellationToken)
    {
        var evaluations = new List<BenchmarkEvaluation>();
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
        {
            foreach (var routerFile in routerFiles)
            {
                var router = RouterZip.Load(routerFile.FullName);
                using var embedder = Embedders.ForRouter(router);
                var evaluator = new BenchmarkEvaluator(router, embedder, new EvaluationOptions
                {
                    RouterName = Path.GetFileNameWithoutExtension(routerFile.Name),
                    RouterFile = routerFile.FullName,
                    BootstrapResamples = resamples,
                });
                foreach (var benchmark in benchmarks)
                {
                    var label = $"{Path.GetFileNameWithoutExtension(routerFile.Name)} on {benchmark.Name}";
                    var embedding = context.AddTask($"{label}: embedding", maxValue: 1);
                    var scoring = context.AddTask($"{label}: scoring", maxValue: 1);
                    var progress = new SyncProgress<EvaluationProgress>(p =>
                    {
                        var task = p.Stage == EvaluationStage.Embedding ? embedding : scoring;
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    });
                    evaluations.Add(await evaluator.EvaluateAsync(benchmark, progress, cancellationToken));
                    embedding.Value = embedding.MaxValue;
                    scoring.Value = scoring.MaxValue;
                }
            }
        });
        return evaluations;
    }

    private static Table Table(IReadOnlyList<BenchmarkEvaluation> evaluations)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in EvaluationTable.Columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (var evaluation in evaluations)
        {
            table.AddRow(EvaluationTable.Cells(evaluation).Select(Markup.Escape).ToArray());
        }

        return table;
    }

    private static async Task WriteOutputsAsync(IReadOnlyList<BenchmarkEvaluation> evaluations, FileInfo? json, FileInfo? html, FileInfo? png)
    {
        if (json is not null)
        {
            EvaluationJson.Write(evaluations, json.FullName);
            Console.WriteLine($"wrote {json.FullName}");
        }

        if (html is not null)
        {
            TradeoffPlot.SaveHtml(evaluations, html.FullName);
            Console.WriteLine($"wrote {html.FullName}");
        }

        if (png is not null)
        {
            var byBenchmark = evaluations.GroupBy(e => e.Benchmark).ToArray();
            foreach (var group in byBenchmark)
            {
                var path = byBenchmark.Length == 1
                    ? png.FullName
                    : Path.Combine(png.DirectoryName!, $"{Path.GetFileNameWithoutExtension(png.Name)}-{group.Key}{png.Extension}");
                await ChartPng.SaveAsync(TradeoffPlot.Create([.. group]), path);
                Console.WriteLine($"wrote {path}");
            }
        }
    }
}
