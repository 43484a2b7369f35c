using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Tests.Routers;

/// <summary>What <c>LoadBattles</c> writes is what trainers read by default: the README's example keeps its weights.</summary>
public sealed class BattleColumnsTests
{
    private const string Strong = "gpt-4-1106-preview", Weak = "mixtral-8x7b-instruct-v0.1";

    private static readonly Battle[] Battles =
    [
        new("What is 2+2?", Strong, Weak, BattleOutcome.ModelAWins, Weight: 0.25f),
        new("Write a haiku.", Weak, Strong, BattleOutcome.Tie, Weight: 3f),
    ];

    private static readonly Battle[] Gold = [new("Which planet is largest?", Strong, Weak, BattleOutcome.ModelBWins)];

    [Fact]
    public void Default_options_read_the_weights_LoadBattles_writes()
    {
        var ml = new MLContext(seed: 1);

        var read = TrainingSet.Read(ml.Routing().LoadBattles(Battles), new RandomRouterTrainer.Options(), readEmbeddings: false);

        Assert.Equal([0.25f, 3f], read.Battles.Select(b => b.Weight));
        var router = ml.Routing().Trainers.Random().Fit(ml.Routing().LoadBattles(Battles)).Model;
        Assert.Equal(BattleColumnNames.Weight, router.Manifest.TrainingOptions[nameof(RouterTrainerOptions.ExampleWeightColumnName)]);
    }

    [Fact]
    public void Without_a_weight_column_the_default_options_fail_rather_than_ignore_weights()
    {
        var ml = new MLContext(seed: 1);
        var unweighted = ml.Transforms.DropColumns(BattleColumnNames.Weight).Fit(ml.Routing().LoadBattles(Battles)).Transform(ml.Routing().LoadBattles(Battles));

        var e = Assert.Throws<ArgumentException>(() => ml.Routing().Trainers.Random().Fit(unweighted));

        Assert.Contains("no example weight column 'Weight'", e.Message);
        var ignoring = ml.Routing().Trainers.Random(new RandomRouterTrainer.Options { ExampleWeightColumnName = null }).Fit(unweighted).Model;
        Assert.Equal("", ignoring.Manifest.TrainingOptions[nameof(RouterTrainerOptions.ExampleWeightColumnName)]);
    }

    [Fact]
    public void Gold_battles_are_weighted_once_and_marked_gold()
    {
        var ml = new MLContext(seed: 1);

        var training = GoldBattles.Augment(Battles, Gold, goldWeight: 10);
        var read = TrainingSet.Read(ml.Routing().LoadBattles(training), new RandomRouterTrainer.Options(), readEmbeddings: false);

        Assert.Equal([0.25f, 3f, 10f], read.Battles.Select(b => b.Weight));
        Assert.Equal([false, false, true], read.Battles.Select(b => b.IsGold));
        Assert.Equal(Battles, GoldBattles.Augment(Battles, Gold, goldWeight: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GoldBattles.Weighted(Gold, float.NaN));
    }
}
