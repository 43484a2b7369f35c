using System.CommandLine;
using System.Globalization;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm route</c>: one routing decision for one prompt.</summary>
internal static class RouteCommand
{
    public static Command Create()
    {
        var router = CliOptions.Router();
        var threshold = new Option<float?>("--threshold") { Description = "Route to the strong model when P(strong wins) >= this (default 0.5)." };
        var share = new Option<double?>("--strong-share") { Description = "Instead of --threshold: calibrate on --prompts so that this share goes to the strong model." };
        var prompts = CliOptions.Prompts(required: false);
        var strong = CliOptions.Strong();
        var weak = CliOptions.Weak();
        var skipBadRows = CliOptions.SkipBadRows();
        var prompt = new Argument<string>("prompt") { Description = "The prompt to route." };
        var command = new Command("route", "Print the routing decision and the strong model's win rate for a prompt.")
        {
            router, threshold, share, prompts, strong, weak, skipBadRows, prompt,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var model = Scoring.Load(result.GetValue(router)!, result.GetValue(strong), result.GetValue(weak));
            using var embedder = Embedders.ForRouter(model);
            var scorer = new RouterScorer(model, embedder);
            var cutoff = await ThresholdAsync(result, threshold, share, prompts, skipBadRows, scorer, cancellationToken);
            var decision = await StrongWeakPolicy.RouteAsync(scorer, result.GetValue(prompt)!, cutoff, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{decision.Model}\tstrong_win_rate={decision.StrongWinRate:F5}\tthreshold={decision.Threshold:F5}"));
            return 0;
        }));
        return command;
    }

    private static async Task<float> ThresholdAsync(
        ParseResult result, Option<float?> threshold, Option<double?> share, Option<FileInfo> prompts, Option<bool> skipBadRows,
        RouterScorer scorer, CancellationToken cancellationToken)
    {
        if (result.GetValue(share) is not { } target)
        {
            var fixedThreshold = result.GetValue(threshold) ?? 0.5f;
            return fixedThreshold is >= 0 and <= 1 ? fixedThreshold : throw new ArgumentException($"--threshold {fixedThreshold} is outside [0, 1].");
        }

        if (result.GetValue(threshold) is not null)
        {
            throw new ArgumentException("Give --threshold or --strong-share, not both.");
        }

        var file = result.GetValue(prompts) ?? throw new ArgumentException("--strong-share needs --prompts FILE to calibrate on.");
        var texts = CliOptions.ReadPrompts(file, CliOptions.ReadOptions(result, skipBadRows));
        var scores = await Scoring.ScoreAllAsync(scorer, texts, cancellationToken);
        return ThresholdCalibrator.ForStrongShare(scores, CalibrateCommand.StrongShare(target));
    }
}
