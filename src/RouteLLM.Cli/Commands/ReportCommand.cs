using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.IO;
using RouteLLM.MLNet.Plotting;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm report</c>: what a server's decision log says (docs/OWN_TRAFFIC.md).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var log = new Option<DirectoryInfo>("--log") { Description = "The server's decision-log folder (RouteLLM:DecisionLog:Directory).", Required = true };
        var html = new Option<FileInfo?>("--html") { Description = "Write the routed-vs-calibrated strong share chart as one self-contained HTML file." };
        var png = new Option<FileInfo?>("--png") { Description = "Write the chart as PNG (needs chromium)." };
        var json = new Option<FileInfo?>("--json") { Description = "Write the table as JSON: one object per policy and router version." };
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("report", "Share of requests per model, spend, estimated savings against always using the strong (or most expensive) model, and drift from the calibrated share, per policy and router version.")
        {
            log, html, png, json, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var directory = result.GetValue(log)!.FullName;
            var read = DecisionLogFiles.ReadDecisions(directory, CliOptions.ReadOptions(result, skipBadRows));
            CliOptions.ReportSkipped(directory, read.Skipped);
            if (read.Items.Count == 0)
            {
                throw new ArgumentException($"{directory}: no decisions-*.jsonl entries.");
            }

            var usage = DecisionLogReport.Summarize(read.Items);
            AnsiConsole.Write(Table(usage));
            if (result.GetValue(json) is { } jsonFile)
            {
                AtomicFile.Write(jsonFile.FullName, stream => JsonSerializer.Serialize(stream, usage, Json));
                Console.WriteLine($"wrote {jsonFile.FullName}");
            }

            if (result.GetValue(html) is { } htmlFile)
            {
                DecisionLogPlot.SaveHtml(usage, htmlFile.FullName);
                Console.WriteLine($"wrote {htmlFile.FullName}");
            }

            if (result.GetValue(png) is { } pngFile)
            {
                await ChartPng.SaveAsync(DecisionLogPlot.Create(usage), pngFile.FullName);
                Console.WriteLine($"wrote {pngFile.FullName}");
            }

            return 0;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Table Table(IReadOnlyList<PolicyUsage> usage)
    {
        var table = new Table().AddColumns("policy", "router", "requests", "share per model", "routed per model", "spend $", "always strongest $", "savings $", "strongest share", "calibrated", "drift", "failed");
        foreach (var u in usage)
        {
            table.AddRow(
                Markup.Escape(u.Policy),
                Markup.Escape($"{u.Router} v{u.RouterVersion}" + (u.RouterDigest is { } digest ? $" {digest}" : "")),
                u.Requests.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(Shares(u.RequestsByModel, u.Requests)),
                Markup.Escape(Shares(u.RequestsByRoute, u.Requests)),
                Usd(u.SpendUsd) + (u.UnpricedRequests > 0 ? $" ({u.UnpricedRequests} unpriced)" : ""),
                u.AlwaysStrongUsd is { } strong ? Usd(strong) : "-",
                u.SavingsUsd is { } savings ? Usd(savings) : "-",
                u.RoutedStrongShare.ToString("P1", CultureInfo.InvariantCulture),
                u.CalibratedStrongShare?.ToString("P1", CultureInfo.InvariantCulture) ?? "-",
                u.Drift?.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture) ?? "-",
                u.FailedRequests.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string Shares(IReadOnlyDictionary<string, int> requests, int total) =>
        string.Join(", ", requests.Select(m => $"{m.Key} {m.Value / (double)total:P1}"));

    private static string Usd(decimal usd) => usd.ToString("0.######", CultureInfo.InvariantCulture);
}
