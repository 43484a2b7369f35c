using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Tests.Routers.MatrixFactorization;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class GoldAugmentationSelectorTests
{
    [Fact]
    public void Chooses_the_mix_when_gold_and_battles_each_predict_only_their_own_traffic()
    {
        var traffic = TwoKindsOfTraffic.Create();
        var context = new MLContext(seed: 1);
        var trainer = context.Routing().Trainers.MatrixFactorization(TwoKindsOfTraffic.Options());
        SelectionCandidate<MatrixFactorizationRouterModel>[] candidates =
        [
            new(AugmentationCandidate.BattlesOnly, trainer),
            new(AugmentationCandidate.GoldOnly, trainer),
            new(new AugmentationCandidate(3f), trainer),
        ];

        var selection = new GoldAugmentationSelector(context).Select(candidates, traffic.Embeddings, traffic.Battles, traffic.Gold);

        var (battlesOnly, goldOnly, mix) = (selection.Candidates[0], selection.Candidates[1], selection.Candidates[2]);
        // Gold alone ranks gold prompts best and battle prompts no better than chance; the battles the other way round;
        // judged on gold alone, gold would win. Trained on both, the router learns both directions.
        Assert.True(goldOnly.MeanGoldApgr > battlesOnly.MeanGoldApgr + 0.2, $"gold {goldOnly.MeanGoldApgr}, battles {battlesOnly.MeanGoldApgr}");
        Assert.True(battlesOnly.MeanBattleApgr > goldOnly.MeanBattleApgr + 0.2, $"battles {battlesOnly.MeanBattleApgr}, gold {goldOnly.MeanBattleApgr}");
        Assert.InRange(goldOnly.MeanBattleApgr, 0.35, 0.65);
        Assert.InRange(battlesOnly.MeanGoldApgr, 0.35, 0.65);
        Assert.Equal(2, selection.BestIndex);
        Assert.True(mix.MeanCriterion > Math.Max(goldOnly.MeanCriterion, battlesOnly.MeanCriterion) + 0.1);
        Assert.All(selection.Candidates, c => Assert.Equal(5, c.Folds.Count));
        Assert.All(selection.Candidates, c => Assert.Equal(traffic.Gold.Select(b => b.Prompt).Distinct().Count(), c.Folds.Sum(f => f.Gold.Prompts)));
        Assert.All(selection.Candidates, c => Assert.Equal(traffic.PairPrompts, c.Folds.Sum(f => f.Battles!.Prompts)));
    }

    [Fact]
    public void Fit_trains_the_chosen_candidate_on_everything_and_records_the_selection()
    {
        var traffic = TwoKindsOfTraffic.Create();
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Folds = 2 });
        var options = TwoKindsOfTraffic.Options();
        options.EarlyStoppingPatience = 2;
        SelectionCandidate<MatrixFactorizationRouterModel>[] candidates =
            [new(new AugmentationCandidate(3f), context.Routing().Trainers.MatrixFactorization(options), "patience 2")];
        var selection = selector.Select(candidates, traffic.Embeddings, traffic.Battles, traffic.Gold);

        var manifest = selector.Fit(candidates, traffic.Embeddings, traffic.Battles, traffic.Gold, selection).Manifest;

        Assert.Equal(traffic.Battles.Count + traffic.Gold.Count, manifest.TrainingMetrics["battles"]);
        Assert.Equal(3, manifest.TrainingMetrics["selection.gold_weight"]);
        Assert.Equal(selection.Candidates[0].MeanCriterion, manifest.TrainingMetrics["selection.criterion"]);
        Assert.Equal(selection.Candidates[0].Folds[1].Battles!.Apgr, manifest.TrainingMetrics["selection.candidate0.fold1.battle_apgr"]);
        Assert.Equal("battles + gold×3 (patience 2)", manifest.TrainingOptions["selection.chosen"]);
        Assert.Equal("2", manifest.TrainingOptions[nameof(MatrixFactorizationRouterTrainer.Options.EarlyStoppingPatience)]);
    }

    [Fact]
    public void Fit_refuses_a_selection_made_over_other_candidates()
    {
        var traffic = TwoKindsOfTraffic.Create();
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Folds = 2 });
        var trainer = context.Routing().Trainers.MatrixFactorization(TwoKindsOfTraffic.Options());
        var selection = selector.Select([new SelectionCandidate<MatrixFactorizationRouterModel>(AugmentationCandidate.GoldOnly, trainer)],
            traffic.Embeddings, traffic.Battles, traffic.Gold);

        Assert.Throws<ArgumentException>(() => selector.Fit(
            [new SelectionCandidate<MatrixFactorizationRouterModel>(AugmentationCandidate.BattlesOnly, trainer)],
            traffic.Embeddings, traffic.Battles, traffic.Gold, selection));
    }

    [Fact]
    public void Trainer_that_ignores_weights_is_refused()
    {
        var traffic = TwoKindsOfTraffic.Create();
        var options = TwoKindsOfTraffic.Options();
        options.ExampleWeightColumnName = null;
        var context = new MLContext(seed: 1);
        var selector = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Folds = 2 });

        var error = Assert.Throws<ArgumentException>(() => selector.Select(
            [new SelectionCandidate<MatrixFactorizationRouterModel>(new AugmentationCandidate(5f), context.Routing().Trainers.MatrixFactorization(options))],
            traffic.Embeddings, traffic.Battles, traffic.Gold));
        Assert.Contains("'Weight'", error.Message);
    }

    [Fact]
    public void Gold_between_more_than_two_models_is_refused()
    {
        var traffic = TwoKindsOfTraffic.Create();
        var gold = traffic.Gold.Select((b, i) => i == 0 ? b with { ModelB = "m02" } : b).ToList();
        var context = new MLContext(seed: 1);
        var trainer = context.Routing().Trainers.MatrixFactorization(TwoKindsOfTraffic.Options());

        var error = Assert.Throws<ArgumentException>(() => new GoldAugmentationSelector(context).Select(
            [new SelectionCandidate<MatrixFactorizationRouterModel>(AugmentationCandidate.GoldOnly, trainer)], traffic.Embeddings, traffic.Battles, gold));
        Assert.Contains("m02", error.Message);
    }

    [Fact]
    public void Invalid_or_duplicate_candidates_are_refused()
    {
        var context = new MLContext(seed: 1);
        var trainer = context.Routing().Trainers.MatrixFactorization(TwoKindsOfTraffic.Options());
        var selector = new GoldAugmentationSelector(context);

        Assert.Throws<ArgumentException>(() => selector.Select(
            [new SelectionCandidate<MatrixFactorizationRouterModel>(new AugmentationCandidate(0f, BattleSubset.None), trainer)], null, [], []));
        Assert.Throws<ArgumentException>(() => selector.Select(
            [new SelectionCandidate<MatrixFactorizationRouterModel>(AugmentationCandidate.GoldOnly, trainer), new(AugmentationCandidate.GoldOnly, trainer)],
            null, [], []));
        Assert.Throws<ArgumentException>(() => selector.Select(Array.Empty<SelectionCandidate<MatrixFactorizationRouterModel>>(), null, [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Folds = 1 }));
    }

    /// <summary>
    /// Gold prompts and the prompts of preference battles live in separate halves of a 32-dimensional embedding, and on
    /// each half another hidden direction decides whether the strong model beats the weak one: gold labels teach
    /// nothing about the battles' prompts and the battles nothing about gold prompts.
    /// </summary>
    private sealed class TwoKindsOfTraffic
    {
        private const int Half = 16;

        private TwoKindsOfTraffic(IReadOnlyList<Battle> battles, IReadOnlyList<Battle> gold, PromptEmbeddingTable embeddings)
        {
            (Battles, Gold, Embeddings) = (battles, gold, embeddings);
            PairPrompts = battles.Where(b => b.ModelA is SyntheticBattles.Strong or SyntheticBattles.Weak && b.ModelB is SyntheticBattles.Strong or SyntheticBattles.Weak)
                .Select(b => b.Prompt).Distinct().Count();
        }

        public IReadOnlyList<Battle> Battles { get; }

        public IReadOnlyList<Battle> Gold { get; }

        public PromptEmbeddingTable Embeddings { get; }

        public int PairPrompts { get; }

        public static TwoKindsOfTraffic Create()
        {
            var battles = SyntheticBattles.Create(promptCount: 200, battleCount: 3000, dimension: Half, models: 4, strongBias: 3, seed: 31);
            var gold = SyntheticBattles.Create(promptCount: 400, battleCount: 400, dimension: Half, tieRate: 0.4, strongBias: 3, seed: 32);
            var vectors = new Dictionary<string, float[]>();
            foreach (var prompt in battles.Prompts) vectors[prompt] = [.. new float[Half], .. battles.Embeddings[prompt]];
            foreach (var prompt in gold.Prompts) vectors[prompt] = [.. gold.Embeddings[prompt], .. new float[Half]];
            return new TwoKindsOfTraffic(battles.Battles, gold.Battles, new PromptEmbeddingTable(SyntheticBattles.Embedder(2 * Half), vectors));
        }

        public static MatrixFactorizationRouterTrainer.Options Options() => MatrixFactorizationTestData.Options(dimension: 2 * Half);
    }
}
