using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary>Loading scorers and scoring prompt files with a progress bar.</summary>
internal static class Scoring
{
    private const int Batch = 256;

    /// <summary>Loads a router zip, re-paired to <paramref name="strong"/>/<paramref name="weak"/> when given.</summary>
    public static RouterModel Load(FileInfo router, string? strong, string? weak)
    {
        var model = RouterZip.Load(router.FullName);
        return strong is null && weak is null
            ? model
            : model.WithModels(strong ?? model.Manifest.StrongModel, weak ?? model.Manifest.WeakModel);
    }

    public static async Task<float[]> ScoreAllAsync(RouterScorer scorer, IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        float[] scores = [];
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"scoring {prompts.Count} prompts", maxValue: prompts.Count);
            scores = await scorer.StrongWinRatesAsync(prompts, Batch, new SyncProgress<int>(scored => task.Value = scored), cancellationToken);
        });
        return scores;
    }
}
