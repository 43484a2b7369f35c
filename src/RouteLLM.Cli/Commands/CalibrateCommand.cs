using System.CommandLine;
using System.Globalization;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm calibrate</c>: the threshold that sends a target share of your traffic to the strong model.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var router = CliOptions.Router();
        var prompts = CliOptions.Prompts(required: true);
        var share = new Option<double>("--strong-share") { Description = "Target share of strong-model calls, in [0, 1].", Required = true };
        var strong = CliOptions.Strong();
        var weak = CliOptions.Weak();
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("calibrate", "Print the threshold at which the router sends --strong-share of these prompts to the strong model (RouteLLM's quantile rule).")
        {
            router, prompts, share, strong, weak, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var target = StrongShare(result.GetValue(share));
            var texts = CliOptions.ReadPrompts(result.GetValue(prompts)!, CliOptions.ReadOptions(result, skipBadRows));
            var model = Scoring.Load(result.GetValue(router)!, result.GetValue(strong), result.GetValue(weak));
            using var embedder = Embedders.ForRouter(model);
            var scorer = new RouterScorer(model, embedder);
            var scores = await Scoring.ScoreAllAsync(scorer, texts, cancellationToken);
            var threshold = ThresholdCalibrator.ForStrongShare(scores, target);
            var routed = StrongWeakPolicy.StrongShare(scores, threshold);
            var name = Path.GetFileNameWithoutExtension(result.GetValue(router)!.Name);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"threshold={threshold:G9}\tstrong_share={routed:F4}\tprompts={scores.Length}\tmodel=router-{name}-{threshold:G9}"));
            return 0;
        }));
        return command;
    }

    public static double StrongShare(double share) =>
        share is >= 0 and <= 1 ? share : throw new ArgumentException($"--strong-share {share} is outside [0, 1].");
}
