using System.CommandLine;
using Microsoft.ML;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Difficulty;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>
    /// <c>routellm train difficulty --scores FILE</c>: the difficulty router, learned from per-prompt scores alone, its
    /// deviation weight chosen by cross-validation on AIQ within the scores (<see cref="MultiModelSelection"/>).
    /// </summary>
    private static Command CreateDifficulty()
    {
        var scores = ScoresOption();
        var catalogue = new Option<FileInfo?>("--catalogue") { Description = "Model catalogue pricing the models when the scores carry no per-call costs." };
        var folds = new Option<int>("--folds") { Description = "Folds (by prompt) of the deviation weight's choice.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds.", DefaultValueFactory = _ => 0 };
        var strong = CliOptions.Strong();
        var weak = CliOptions.Weak();
        var output = new Option<FileInfo?>("--output") { Description = "Router zip to write; default artifacts/difficulty.zip." };
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("difficulty", "Per-model means plus a shared per-prompt ease predicted from the embedding; learns from --scores alone.")
        {
            scores, catalogue, folds, seed, strong, weak, output, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var prices = result.GetValue(catalogue) is { } file ? ModelCatalogue.Read(file.FullName) : null;
            var readOptions = CliOptions.ReadOptions(result, skipBadRows);
            if (prices is not null)
            {
                readOptions.Aliases = prices.Aliases;
            }

            var scored = new List<ScoredPrompt>();
            foreach (var path in result.GetValue(scores) ?? [])
            {
                var read = ScoredPrompts.Read(path.FullName, readOptions);
                CliOptions.ReportSkipped(path.FullName, read.Skipped);
                scored.AddRange(read.Items);
            }

            if (scored.Count == 0)
            {
                throw new ArgumentException("The difficulty router learns from --scores FILE; none was named, or the files hold no scored prompt.");
            }

            if (prices is null && scored.Any(s => s.Scores.Keys.Any(m => !s.CostsUsd.ContainsKey(m))))
            {
                throw new ArgumentException("Some scores carry no per-call cost: name --catalogue to price the models.");
            }

            // The pair only names the manifest's default pair; every scored model is predicted.
            var models = scored.SelectMany(s => s.Scores.Keys).Select(readOptions.Aliases.Canonical).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var strongModel = result.GetValue(strong) ?? (models.Contains(RouteLLMModels.Strong) ? RouteLLMModels.Strong : models[0]);
            var weakModel = result.GetValue(weak) ?? (models.Contains(RouteLLMModels.Weak) ? RouteLLMModels.Weak : models.First(m => m != strongModel));
            var ml = new MLContext(result.GetValue(seed));
            var table = await EmbedPromptsAsync(scored.Select(s => s.Prompt), cancellationToken);
            var trainer = ml.Routing().Trainers.Difficulty(new DifficultyRouterTrainer.Options
            {
                Embedder = table.Embedder,
                StrongModel = strongModel,
                WeakModel = weakModel,
                Seed = result.GetValue(seed),
            });
            var model = await AnsiConsole.Status().StartAsync($"training on {scored.Count} scored prompts", _ => Task.Run(
                () => MultiModelSelection.Train(TrainingSet.FromScores(scored, table), table, trainer.TrainCandidates, prices, result.GetValue(folds), result.GetValue(seed), MultiModelSelection.DefaultRepetitions),
                cancellationToken));
            Save(model, result.GetValue(output) ?? new FileInfo(Path.Combine("artifacts", "difficulty.zip")));
            return 0;
        }));
        return command;
    }
}
