using RouteLLM.Testing;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using static RouteLLM.MLNet.Tests.Routers.MatrixFactorization.MatrixFactorizationTestData;

namespace RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

public sealed class MatrixFactorizationRouterTrainerTests
{
    private static readonly SyntheticBattles Planted = SyntheticBattles.Create(promptCount: 400, battleCount: 8000, models: 6, tieRate: 0.1);

    [Fact]
    public void Recovers_planted_preference_on_held_out_prompts()
    {
        var model = Train(Planted, Options());
        var (prompts, embeddings) = Planted.HeldOutPrompts(500, seed: 99);
        var scores = Score(model, embeddings, prompts);
        var truth = prompts.Select(p => Planted.StrongIsBetter(embeddings[p]) ? 1.0 : -1.0).ToArray();

        // Measured: 0.9997; a router that learnt nothing scores 0.5.
        Assert.InRange(HeldOutRoutingMetrics.Auc(scores, truth), 0.98, 1.0);
    }

    [Fact]
    public void Drops_ties_and_records_training_metrics()
    {
        var metrics = Train(Planted, Options()).Manifest.TrainingMetrics;
        var ties = Planted.Battles.Count(b => b.Outcome == BattleOutcome.Tie);

        Assert.True(ties > 500);
        Assert.Equal(ties, metrics["ties_dropped"]);
        Assert.Equal(Planted.Battles.Count, metrics["battles"]);
        Assert.Equal(Planted.Battles.Count - ties, metrics["battles_used"] + metrics["validation_battles"]);
        Assert.InRange(metrics["best_epoch"], 1, metrics["epochs_run"]);
        Assert.True(metrics["validation_loss"] is > 0 and < 0.69, $"validation loss {metrics["validation_loss"]} is no better than chance");
        Assert.True(metrics["seconds"] > 0);
    }

    [Fact]
    public void Validation_holds_out_whole_prompts()
    {
        var metrics = Train(Planted, Options()).Manifest.TrainingMetrics;
        var decisivePrompts = Planted.Battles.Where(b => b.Outcome != BattleOutcome.Tie).Select(b => b.Prompt).Distinct().Count();

        // A prompt in both splits would be counted twice.
        Assert.Equal(decisivePrompts, metrics["train_prompts"] + metrics["validation_prompts"]);
        Assert.Equal(Math.Round(0.1 * decisivePrompts), metrics["validation_prompts"]);
    }

    [Fact]
    public void Keeps_the_parameters_of_the_best_validation_epoch()
    {
        // Few prompts and many epochs overfit, so validation loss turns up and early stopping ends the run.
        var small = SyntheticBattles.Create(promptCount: 60, battleCount: 3000, seed: 5);
        var options = Options();
        options.MaxEpochs = 80;
        options.EarlyStoppingPatience = 3;
        var stopped = Train(small, options);
        var bestEpoch = (int)stopped.Manifest.TrainingMetrics["best_epoch"];
        Assert.True(bestEpoch < stopped.Manifest.TrainingMetrics["epochs_run"], "the run never overfit, so this test shows nothing");

        options.MaxEpochs = bestEpoch;
        var exact = Train(small, options);

        Assert.Equal(Score(exact, small.Embeddings, small.Prompts), Score(stopped, small.Embeddings, small.Prompts));
    }

    [Fact]
    public void Same_seed_gives_identical_router_and_another_seed_does_not()
    {
        var data = SyntheticBattles.Create(promptCount: 100, battleCount: 1500, seed: 3);
        var options = Options();
        options.MaxEpochs = 5;
        var first = Score(Train(data, options), data.Embeddings, data.Prompts);
        var second = Score(Train(data, options), data.Embeddings, data.Prompts);
        options.Seed++;
        var reseeded = Score(Train(data, options), data.Embeddings, data.Prompts);

        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void Weighted_battle_trains_like_its_duplicate()
    {
        var data = SyntheticBattles.Create(promptCount: 40, battleCount: 300, seed: 8);
        var options = Options();
        options.BatchSize = 1000; // one batch per epoch: the order of battles cannot matter
        options.NoiseStandardDeviation = 0;
        options.ValidationFraction = 0;
        options.MaxEpochs = 150;
        var decisive = data.Battles.Where(b => b.Outcome != BattleOutcome.Tie).ToList();
        var heavy = decisive.Take(50).Select(b => b with { Weight = 3 }).ToList();
        var light = decisive.Skip(50).ToList();

        var weighted = Score(Train(data.Embeddings, [.. heavy, .. light], options), data.Embeddings, data.Prompts);
        var duplicated = Score(Train(data.Embeddings, [.. heavy.Select(b => b with { Weight = 1 }), .. heavy.Select(b => b with { Weight = 2 }), .. light], options),
            data.Embeddings, data.Prompts);
        var unweighted = Score(Train(data.Embeddings, [.. heavy.Select(b => b with { Weight = 1 }), .. light], options), data.Embeddings, data.Prompts);

        Assert.Equal(duplicated, weighted, (a, b) => Math.Abs(a - b) < 1e-4); // measured effect of the weights: 0.10
        var effect = weighted.Zip(unweighted).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(effect > 0.03, $"weights made no difference ({effect})");
    }

    [Fact]
    public void Manifest_names_mf_kind_embedder_and_every_model()
    {
        var manifest = Train(Planted, Options()).Manifest;

        Assert.Equal("mf", manifest.Kind);
        Assert.Equal(SyntheticBattles.Embedder(16), manifest.Embedder);
        Assert.Equal(["m02", "m03", "m04", "m05", "strong", "weak"], manifest.Models);
        Assert.Equal("0.1", manifest.TrainingOptions["ValidationFraction"]);
    }

    [Fact]
    public void Transformer_adds_the_model_scores_as_a_column()
    {
        var context = new MLContext(seed: 1);
        var data = SyntheticBattles.Create(promptCount: 50, battleCount: 600, seed: 4);
        var options = Options();
        options.MaxEpochs = 3;
        var transformer = context.Routing().Trainers.MatrixFactorization(options).Fit(data.Embeddings.LoadBattles(context, data.Battles));
        var scored = transformer.Transform(data.Embeddings.LoadBattles(context, data.Battles.Take(20)));

        var column = scored.GetColumn<float>(RouterTransformer.StrongWinRateColumnName).ToArray();
        Assert.Equal(Score(transformer.Model, data.Embeddings, [.. data.Battles.Take(20).Select(b => b.Prompt)]), column);
    }

    [Theory]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.Dimension))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.LearningRate))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.WeightDecay))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.NoiseStandardDeviation))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.BatchSize))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.MaxEpochs))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.ValidationFraction))]
    [InlineData(nameof(MatrixFactorizationRouterTrainer.Options.EarlyStoppingPatience))]
    public void Out_of_range_option_is_refused_by_name(string option)
    {
        var options = Options();
        var property = options.GetType().GetProperty(option)!;
        property.SetValue(options, Convert.ChangeType(option == nameof(options.ValidationFraction) ? 1 : -1, property.PropertyType, CultureInfo.InvariantCulture));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Routing().Trainers.MatrixFactorization(options));
        Assert.Contains($"Options.{option}", error.Message);
    }

    [Fact]
    public void Missing_embedder_and_data_without_decisive_battles_are_refused()
    {
        var options = Options();
        options.Embedder = null;
        Assert.Contains("Embedder", Assert.Throws<ArgumentException>(() => new MLContext().Routing().Trainers.MatrixFactorization(options)).Message);

        var data = SyntheticBattles.Create(promptCount: 5, battleCount: 20, tieRate: 1.0);
        var error = Assert.Throws<ArgumentException>(() => Train(data, Options()));
        Assert.Contains("no decisive battle", error.Message);
    }

    [Fact]
    public void Validation_fraction_that_leaves_no_training_prompt_is_refused()
    {
        var data = SyntheticBattles.Create(promptCount: 2, battleCount: 30);
        var options = Options();
        options.ValidationFraction = 0.9;

        Assert.Contains("leaves no training prompt", Assert.Throws<ArgumentException>(() => Train(data, options)).Message);
    }
}
