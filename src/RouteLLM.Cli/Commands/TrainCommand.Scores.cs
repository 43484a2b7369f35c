using RouteLLM.MLNet.Embeddings;
using System.CommandLine;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>
    /// <c>--scores FILE</c> (repeatable; a folder too): per-prompt scores of many models (RouterBench CSV or the generic
    /// scored CSV). Given alone, the router learns from them alone; battles join only when <c>--battles</c> or
    /// <c>--data</c> is named, gold only with <c>--gold</c> at a fixed <c>--gold-weight</c>.
    /// </summary>
    private static Option<FileSystemInfo[]> ScoresOption() => new("--scores")
    {
        Description = "Per-prompt scores of many models (RouterBench CSV, or 'prompt' plus one score column per model); a file or folder; repeatable.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static async Task<int> RunOnScoresAsync<TModel>(
        ParseResult result, TrainingOptions shared, Func<MLContext, EmbedderInfo, int, IEstimator<RouterTransformer<TModel>>> createTrainer,
        CancellationToken cancellationToken)
        where TModel : RouterModel
    {
        var seed = result.GetValue(shared.Seed);
        var ml = new MLContext(seed);
        var readOptions = shared.ReadOptions(result);
        var scores = new List<ScoredPrompt>();
        foreach (var path in result.GetValue(shared.Scores)!)
        {
            var read = ScoredPrompts.Read(path.FullName, readOptions);
            CliOptions.ReportSkipped(path.FullName, read.Skipped);
            scores.AddRange(read.Items);
        }

        IReadOnlyList<Battle> battles = [];
        IReadOnlyList<Battle> gold = [];
        if (result.GetResult(shared.Battles) is not null || result.GetResult(shared.Data) is { Implicit: false } || result.GetResult(shared.Gold) is not null)
        {
            (battles, gold) = shared.ReadBattles(result, readBattles: result.GetResult(shared.Battles) is not null || result.GetResult(shared.Data) is { Implicit: false });
        }

        if (gold.Count > 0 && shared.GoldWeight(result) is null)
        {
            throw new ArgumentException("--gold with --scores needs a fixed --gold-weight (cross-validated selection reads battles only).");
        }

        var goldWeight = shared.GoldWeight(result) ?? 0;
        var training = battles.Concat(gold.Select(b => b with { Weight = b.Weight * goldWeight })).Where(b => b.Weight > 0).ToList();
        Console.WriteLine($"{scores.Count} scored prompts, {training.Count} battles");
        var table = await EmbedPromptsAsync(training.Select(b => b.Prompt).Concat(scores.Select(s => s.Prompt)), cancellationToken);
        var trainer = (ITrainingSetTrainer<TModel>)createTrainer(ml, table.Embedder, seed);
        var trainingSet = TrainingSet.Create(ml, table, training, scores);
        var model = await AnsiConsole.Status().StartAsync($"training on {scores.Count} scored prompts and {training.Count} battles", _ =>
            Task.Run(() => (RouterModel)trainer.Train(trainingSet), cancellationToken));
        shared.Save(result, model);
        return 0;
    }

}
