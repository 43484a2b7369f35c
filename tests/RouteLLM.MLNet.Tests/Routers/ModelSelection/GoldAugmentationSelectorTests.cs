using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class GoldAugmentationSelectorTests
{
    // Battles whose strong/weak preferences follow another hidden direction than the gold labels: like judge battles
    // on prompts unlike the benchmark, they teach nothing about which gold prompts need the strong model.
    private static readonly SyntheticBattles Unrelated = SyntheticBattles.Create(promptCount: 200, battleCount: 3000, models: 4, seed: 31);
    private static readonly SyntheticBattles Truth = SyntheticBattles.Create(promptCount: 400, battleCount: 400, tieRate: 0.4, strongBias: 3, seed: 32);
    private static readonly PromptEmbeddingTable Embeddings = new(
        Unrelated.Embeddings.Embedder,
        Unrelated.Prompts.Concat(Truth.Prompts).ToDictionary(p => p, p => (Unrelated.Prompts.Contains(p) ? Unrelated.Embeddings : Truth.Embeddings)[p].ToArray()));

    [Fact]
    public void Chooses_gold_when_only_gold_predicts_held_out_gold()
    {
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options
        {
            Candidates = [new(0f), new(1f, IncludeBattles: false), new(10f)],
        });

        var selection = selector.Select(context.Routing().Trainers.MatrixFactorization(MatrixFactorizationTestData.Options()),
            Embeddings, Unrelated.Battles, Truth.Battles);

        // Measured mean held-out APGR: battles alone 0.39, gold alone 0.93, battles + gold×10 0.68.
        var battlesOnly = selection.Candidates[0];
        Assert.Equal(new AugmentationCandidate(1f, IncludeBattles: false), selection.Best);
        Assert.True(selection.Candidates[1].MeanApgr > battlesOnly.MeanApgr + 0.3);
        Assert.All(selection.Candidates, c => Assert.Equal(5, c.Folds.Count));
        Assert.Equal(Truth.Battles.Count, selection.Candidates[0].Folds.Sum(f => f.HeldOutBattles));
    }

    [Fact]
    public void Held_out_prompts_are_never_trained_on_through_gold_or_battles()
    {
        // Half the battles reuse gold prompts: holding a gold prompt out must hold those battles out too.
        var battles = Truth.Prompts.Take(200).Select(p => new Battle(p, "strong", "weak", BattleOutcome.ModelAWins)).ToList();
        var spy = new SpyTrainer();
        var selector = new GoldAugmentationSelector(new MLContext(seed: 1),
            new GoldAugmentationSelector.Options { Folds = 4, Seed = 3, Candidates = [new(2f)], MaxDegreeOfParallelism = 1 });

        selector.Select(spy, Embeddings, battles, Truth.Battles);

        var folds = GoldAugmentationSelector.AssignFolds(Truth.Battles.Select(b => b.Prompt), 4, seed: 3);
        var everyPrompt = battles.Concat(Truth.Battles).Select(b => b.Prompt).ToHashSet();
        var expected = Enumerable.Range(0, 4)
            .Select(fold => everyPrompt.Where(p => !folds.TryGetValue(p, out var f) || f != fold).Order().ToArray())
            .ToList();
        // Each training set is everything but one fold's prompts, and every fold is held out once.
        Assert.Equal(4, spy.TrainedPrompts.Count);
        Assert.Equal([0, 1, 2, 3], spy.TrainedPrompts
            .Select(trained => expected.FindIndex(e => e.SequenceEqual(trained.Order())))
            .Order());
    }

    [Fact]
    public void Folds_group_prompts_evenly_and_repeat_for_a_seed()
    {
        string[] prompts = [.. Enumerable.Range(0, 103).Select(i => $"p{i}"), "p1", "p2"];

        var folds = GoldAugmentationSelector.AssignFolds(prompts, 5, seed: 9);

        Assert.Equal(103, folds.Count);
        var sizes = folds.GroupBy(f => f.Value).Select(g => g.Count()).Order().ToArray();
        Assert.Equal([20, 20, 21, 21, 21], sizes);
        Assert.Equal(folds, GoldAugmentationSelector.AssignFolds(prompts.Reverse(), 5, seed: 9));
        Assert.NotEqual(folds, GoldAugmentationSelector.AssignFolds(prompts, 5, seed: 10));
    }

    [Fact]
    public void Fit_trains_on_everything_and_records_the_selection()
    {
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Candidates = [new(3f)], Folds = 2 });
        var trainer = context.Routing().Trainers.MatrixFactorization(MatrixFactorizationTestData.Options());
        var selection = selector.Select(trainer, Embeddings, Unrelated.Battles, Truth.Battles);

        var metrics = selector.Fit(trainer, Embeddings, Unrelated.Battles, Truth.Battles, selection).Manifest.TrainingMetrics;

        Assert.Equal(Unrelated.Battles.Count + Truth.Battles.Count, metrics["battles"]);
        Assert.Equal(3, metrics["selection.gold_weight"]);
        Assert.Equal(selection.Candidates[0].MeanApgr, metrics["selection.apgr"]);
        Assert.Equal(selection.Candidates[0].Folds[1].Apgr, metrics["selection.candidate0.fold1.apgr"]);
    }

    [Fact]
    public void Trainer_that_ignores_weights_is_refused()
    {
        var options = MatrixFactorizationTestData.Options();
        options.ExampleWeightColumnName = null;
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Candidates = [new(5f)], Folds = 2 });

        var error = Assert.Throws<ArgumentException>(() =>
            selector.Select(context.Routing().Trainers.MatrixFactorization(options), Embeddings, Unrelated.Battles, Truth.Battles));
        Assert.Contains("'Weight'", error.Message);
    }

    [Fact]
    public void Gold_battle_between_other_models_is_refused()
    {
        var gold = Truth.Battles.Select((b, i) => i == 0 ? b with { ModelB = "m02" } : b).ToList();
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Candidates = [new(5f)], Folds = 2 });

        var error = Assert.Throws<ArgumentException>(() =>
            selector.Select(context.Routing().Trainers.MatrixFactorization(MatrixFactorizationTestData.Options()), Embeddings, Unrelated.Battles, gold));
        Assert.Contains("m02", error.Message);
    }

    [Fact]
    public void Candidate_that_trains_on_nothing_is_refused()
    {
        var options = new GoldAugmentationSelector.Options { Candidates = [new(0f, IncludeBattles: false)] };
        Assert.Throws<ArgumentException>(() => new GoldAugmentationSelector(new MLContext(), options));
    }

    /// <summary>Records the prompts of each training set, then trains the random router.</summary>
    private sealed class SpyTrainer : IEstimator<RouterTransformer<RandomRouterModel>>
    {
        private readonly MLContext _context = new(seed: 1);

        public List<HashSet<string>> TrainedPrompts { get; } = [];

        public RouterTransformer<RandomRouterModel> Fit(IDataView input)
        {
            TrainedPrompts.Add([.. input.GetColumn<string>("Prompt")]);
            return _context.Routing().Trainers.Random(new RandomRouterTrainer.Options { ExampleWeightColumnName = "Weight", StrongModel = "strong", WeakModel = "weak" })
                .Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => throw new NotSupportedException();
    }
}
