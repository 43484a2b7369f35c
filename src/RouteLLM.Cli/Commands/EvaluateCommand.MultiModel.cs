using System.Globalization;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Plotting;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm evaluate</c> on multi-model benchmarks: RouterBench's CSV, or a scored CSV priced by a catalogue.</summary>
internal static partial class EvaluateCommand
{
    /// <summary>The benchmark name of RouterBench's <c>*_train.csv</c> files.</summary>
    public const string RouterBench = "routerbench";

    private static bool IsMultiModel(string[] benchmarks, FileInfo? catalogue, string? strongColumn)
    {
        var multi = benchmarks.Contains(RouterBench) || (benchmarks.Contains(BenchmarkLoader.Csv) && catalogue is not null && strongColumn is null);
        return !multi || benchmarks.Distinct().Count() == 1
            ? multi
            : throw new ArgumentException("A multi-model benchmark (routerbench, or csv with --catalogue) is evaluated on its own: give one --benchmark.");
    }

    private static async Task<int> RunMultiModelAsync(MultiModelRequest request, DataReadOptions readOptions, CancellationToken cancellationToken)
    {
        var file = request.File ?? throw new ArgumentException($"--benchmark {request.Benchmarks[0]} needs --file FILE.csv.");
        var catalogue = request.Catalogue is null ? null : ModelCatalogue.Read(request.Catalogue.FullName);
        var routerBench = request.Benchmarks[0] == RouterBench;
        var benchmark = routerBench
            ? RouterBenchCsv.Read(file.FullName, readOptions)
            : ScoreTableCsv.Read(file.FullName, column => catalogue!.Find(column) is not null, readOptions);
        CliOptions.ReportSkipped(file.FullName, benchmark.Skipped);

        var evaluations = new List<MultiModelEvaluation>();
        foreach (var routerFile in request.Routers)
        {
            var router = RouterZip.Load(routerFile.FullName);
            using var embedder = Embedders.ForRouter(router);
            var scorer = new RouterScorer(router, embedder);
            evaluations.Add(await MultiModelBenchmarkEvaluator.EvaluateAsync(scorer, benchmark, catalogue, new MultiModelOptions
            {
                RouterName = Path.GetFileNameWithoutExtension(routerFile.Name),
                RouterFile = routerFile.FullName,
                BootstrapResamples = request.Resamples,
                RouteOnLastBlock = routerBench,
            }, cancellationToken));
        }

        AnsiConsole.Write(MultiModelTable(evaluations));
        foreach (var leftOut in evaluations.SelectMany(e => e.LeftOut).Distinct())
        {
            Console.Error.WriteLine($"left out: {leftOut}");
        }

        await WriteMultiModelOutputsAsync(evaluations, request);
        return 0;
    }

    private static Table MultiModelTable(IReadOnlyList<MultiModelEvaluation> evaluations)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "router", "benchmark", "prompts", "models", "AIQ", "AIQ 95% CI", "zero router AIQ", "oracle AIQ", "gap closed", "cost to match best" })
        {
            table.AddColumn(new TableColumn(column));
        }

        static string F(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";
        foreach (var e in evaluations)
        {
            table.AddRow(new[]
            {
                e.Router, e.Benchmark, e.Prompts.ToString(CultureInfo.InvariantCulture), e.Models.Count.ToString(CultureInfo.InvariantCulture),
                F(e.Aiq), $"[{F(e.Ci95.Aiq.Lower)}, {F(e.Ci95.Aiq.Upper)}]", F(e.ZeroRouterAiq), F(e.OracleAiq), F(e.GapClosed),
                e.CostShareToMatchBest is { } share ? share.ToString("0.0%", CultureInfo.InvariantCulture) : "never",
            }.Select(Markup.Escape).ToArray());
        }

        return table;
    }

    private static async Task WriteMultiModelOutputsAsync(IReadOnlyList<MultiModelEvaluation> evaluations, MultiModelRequest request)
    {
        if (request.Json is { } json)
        {
            EvaluationJson.Write(evaluations, json.FullName);
            Console.WriteLine($"wrote {json.FullName}");
        }

        if (request.Html is { } html)
        {
            MultiModelPlot.SaveHtml(evaluations, html.FullName);
            Console.WriteLine($"wrote {html.FullName}");
        }

        if (request.Png is { } png)
        {
            await ChartPng.SaveAsync(MultiModelPlot.Create(evaluations), png.FullName);
            Console.WriteLine($"wrote {png.FullName}");
        }
    }

    private sealed record MultiModelRequest(
        FileInfo[] Routers, string[] Benchmarks, FileInfo? File, FileInfo? Catalogue, int Resamples, FileInfo? Json, FileInfo? Html, FileInfo? Png);
}
