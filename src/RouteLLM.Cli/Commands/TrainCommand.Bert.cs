using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Ranking;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.TorchSharp;
using Spectre.Console;
using TorchSharp;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    /// <summary>
    /// <c>routellm train bert</c>: fine-tunes all-MiniLM-L6-v2 as RouteLLM's BERT classifier on the battles between the
    /// strong model's Elo tier and the weak model's, plus gold battles at a fixed weight.
    /// </summary>
    private static Command CreateBert()
    {
        var defaults = new BertRouterTrainer.Options();
        var bert = new Command("bert", "BERT classifier router (RouteLLM's bert): all-MiniLM-L6-v2 fine-tuned on CPU with TorchSharp.");
        var tiers = new Option<int>("--tiers")
        {
            Description = "Elo tiers of the battles' models; battles between the strong model's tier and the weak model's are the labels.",
            DefaultValueFactory = _ => new GoldAugmentationSelector.Options().Tiers,
        };
        var timeBudget = new Option<TimeSpan?>("--time-budget")
        {
            Description = "Stop after the step that exhausts this time (e.g. 00:30:00) and keep the best validated weights; default: no limit.",
        };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Most passes over the training prompts.", DefaultValueFactory = _ => defaults.MaxEpochs };
        // With four of MiniLM's six layers frozen, the router ranked held-out gold and battle prompts at least as well
        // as with full fine-tuning, which overfits after one epoch, and needs no backward pass through them (docs/TORCHSHARP.md).
        var frozenLayers = new Option<int>("--frozen-layers")
        {
            Description = "Lowest transformer layers (and the embeddings) kept as MiniLM's; 0 trains every parameter.",
            DefaultValueFactory = _ => 4,
        };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads; on a machine shared with other work, fewer threads than cores is often faster.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        foreach (var option in new Option[] { tiers, timeBudget, maxEpochs, frozenLayers, learningRate, threads })
        {
            bert.Add(option);
        }

        var shared = TrainingOptions.AddTo(bert);
        // Choosing the gold weight by cross-validation trains a router per fold and candidate: hours for BERT.
        bert.Options.Remove(shared.Folds);
        shared.GoldWeightOption.Description = "Sample weight of each gold battle (0 leaves gold out).";
        shared.GoldWeightOption.DefaultValueFactory = _ => "1";
        bert.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var threadCount = result.GetValue(threads);
            ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1, "--threads");
            var goldWeight = shared.GoldWeight(result)
                ?? throw new ArgumentException("--gold-weight auto trains a router per fold and candidate, hours for BERT; give bert a number.");
            var (battles, gold) = shared.ReadBattles(result);
            var options = shared.Apply(result, new BertRouterTrainer.Options
            {
                TimeBudget = result.GetValue(timeBudget),
                MaxEpochs = result.GetValue(maxEpochs),
                FrozenLayers = result.GetValue(frozenLayers),
                LearningRate = result.GetValue(learningRate),
                Seed = result.GetValue(shared.Seed),
            });
            var pairTiers = Tiers.OfPair(BradleyTerry.Fit(battles), result.GetValue(tiers), options.StrongModel, options.WeakModel);
            (options.StrongTierModels, options.WeakTierModels) = (pairTiers.First, pairTiers.Second);
            AnsiConsole.MarkupLine(Markup.Escape($"strong tier: {string.Join(", ", options.StrongTierModels)}"));
            AnsiConsole.MarkupLine(Markup.Escape($"weak tier: {string.Join(", ", options.WeakTierModels)}"));

            var training = GoldBattles.Augment(battles, gold, goldWeight);
            // BERT reads text; the router keeps its training prompts' embeddings so that evaluation drops those it saw.
            var table = await EmbedPromptsAsync(training.Select(b => b.Prompt), cancellationToken);
            options.Embedder = table.Embedder;
            torch.set_num_threads(threadCount);
            var ml = new MLContext(options.Seed);
            BertRouterModel model = null!;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("fine-tuning", maxValue: 1);
                    options.Progress = new SyncProgress<BertTrainingProgress>(p => ShowProgress(task, p));
                    model = ml.Routing().Trainers.Bert(options).Fit(table.LoadBattles(ml, training)).Model;
                    task.Value = task.MaxValue;
                });
            shared.Save(result, model);
            return 0;
        }));
        return bert;
    }

    private static void ShowProgress(ProgressTask task, BertTrainingProgress progress)
    {
        task.MaxValue = progress.MaxEpochs * progress.StepsPerEpoch;
        task.Value = (progress.Epoch - 1) * progress.StepsPerEpoch + progress.Step;
        var validation = progress.ValidationLoss is { } loss ? string.Create(CultureInfo.InvariantCulture, $", validation loss {loss:F4}") : "";
        task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch}/{progress.MaxEpochs}, step {progress.Step}/{progress.StepsPerEpoch}, training loss {progress.TrainingLoss:F4}{validation}"));
        if (progress.ValidationLoss is not null)
        {
            AnsiConsole.MarkupLine(task.Description);
        }
    }
}
