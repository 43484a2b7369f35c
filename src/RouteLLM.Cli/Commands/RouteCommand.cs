using System.CommandLine;
using System.Globalization;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm route</c>: one routing decision for one prompt.</summary>
internal static class RouteCommand
{
    public static Command Create()
    {
        var router = new Option<FileInfo>("--router") { Description = "Router zip.", Required = true };
        var threshold = new Option<float>("--threshold") { Description = "Route to the strong model when P(strong wins) >= this.", DefaultValueFactory = _ => 0.5f };
        var prompt = new Argument<string>("prompt") { Description = "The prompt to route." };
        var command = new Command("route", "Print the routing decision and the strong model's win rate for a prompt.") { router, threshold, prompt };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var t = result.GetValue(threshold);
            if (t is < 0 or > 1)
            {
                throw new ArgumentException($"--threshold {t} is outside [0, 1].");
            }

            var scorer = new RouterScorer(RouterZip.Load(result.GetValue(router)!.FullName));
            var rate = await scorer.StrongWinRateAsync(result.GetValue(prompt)!, cancellationToken);
            var model = rate >= t ? scorer.Model.Manifest.StrongModel : scorer.Model.Manifest.WeakModel;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model}\tstrong_win_rate={rate:F5}\tthreshold={t:F5}"));
            return 0;
        }));
        return command;
    }
}
