using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class HeldOutFoldTests
{
    private const string Strong = "strong";
    private const string Weak = "weak";

    [Fact]
    public void Held_out_prompts_are_never_trained_on_through_gold_or_any_battle()
    {
        // Gold on g0…g39; strong-vs-weak battles on b0…b29, and other models' battles on the same prompts; battles on
        // some gold prompts; other models only on o0…o9, a prompt no pool holds out.
        var gold = Enumerable.Range(0, 40).Select(i => new Battle($"g{i}", Strong, Weak, i % 3 == 0 ? BattleOutcome.Tie : BattleOutcome.ModelAWins)).ToList();
        var battles = Enumerable.Range(0, 30).SelectMany(i => new[]
            {
                new Battle($"b{i}", Weak, Strong, BattleOutcome.ModelBWins),
                new Battle($"b{i}", "m1", "m2", BattleOutcome.ModelAWins),
            })
            .Concat(Enumerable.Range(0, 10).Select(i => new Battle($"g{i}", "m1", Strong, BattleOutcome.Tie)))
            .Concat(Enumerable.Range(0, 10).Select(i => new Battle($"o{i}", "m2", "m1", BattleOutcome.ModelAWins)))
            .ToList();
        var spy = new SpyTrainer();
        var selector = new GoldAugmentationSelector(new MLContext(seed: 1),
            new GoldAugmentationSelector.Options { Folds = 4, Seed = 3, MaxDegreeOfParallelism = 1 });

        var selection = selector.Select([new SelectionCandidate<RandomRouterModel>(new AugmentationCandidate(2f), spy)], null, battles, gold);

        var folds = GoldAugmentationSelector.AssignFolds([gold.Select(b => b.Prompt), battles.Where(IsPair).Select(b => b.Prompt)], 4, seed: 3);
        var everyPrompt = battles.Concat(gold).Select(b => b.Prompt).ToHashSet();
        Assert.Equal(70, folds.Count);
        Assert.Equal(4, spy.Trained.Count);
        foreach (var trained in spy.Trained)
        {
            // Each training holds out exactly one fold: every prompt of the fold, through gold and battles of every model.
            var fold = folds[everyPrompt.First(p => folds.ContainsKey(p) && !trained.Prompts.Contains(p))];
            Assert.Equal(everyPrompt.Where(p => !folds.TryGetValue(p, out var f) || f != fold).Order(), trained.Prompts.Order());
            Assert.Equal(gold.Count(b => folds[b.Prompt] != fold), trained.DoubledRows);
        }

        Assert.Equal([0, 1, 2, 3], spy.Trained.Select(t => folds[everyPrompt.First(p => folds.ContainsKey(p) && !t.Prompts.Contains(p))]).Order());
        var folded = selection.Candidates[0].Folds;
        Assert.Equal(40, folded.Sum(f => f.Gold.Prompts));
        Assert.Equal(30, folded.Sum(f => f.Battles!.Prompts));
        Assert.All(folded, f => Assert.InRange(f.Gold.Prompts, 10, 10));
        Assert.All(folded, f => Assert.InRange(f.Battles!.Prompts, 7, 8));
    }

    [Fact]
    public void Gold_alone_is_scored_when_the_pair_battles_do_not_reach_every_fold()
    {
        var gold = Enumerable.Range(0, 20).Select(i => new Battle($"g{i}", Strong, Weak, BattleOutcome.ModelAWins)).ToList();
        Battle[] battles = [new("b0", Strong, Weak, BattleOutcome.ModelAWins), new("b1", Strong, Weak, BattleOutcome.ModelAWins)];
        var selector = new GoldAugmentationSelector(new MLContext(seed: 1), new GoldAugmentationSelector.Options { Folds = 4 });

        var score = selector.Select([new SelectionCandidate<RandomRouterModel>(new AugmentationCandidate(1f), new SpyTrainer())], null, battles, gold)
            .Candidates[0];

        Assert.All(score.Folds, f => Assert.Null(f.Battles));
        Assert.Equal(score.MeanGoldApgr, score.MeanCriterion);
        Assert.True(double.IsNaN(score.MeanBattleApgr));
    }

    [Fact]
    public void Folds_deal_each_pool_evenly_and_repeat_for_a_seed()
    {
        string[] gold = [.. Enumerable.Range(0, 103).Select(i => $"g{i}"), "g1", "g2"];
        string[] battles = [.. Enumerable.Range(0, 52).Select(i => $"b{i}"), "g3", "g4"];

        var folds = GoldAugmentationSelector.AssignFolds([gold, battles], 5, seed: 9);

        Assert.Equal(155, folds.Count);
        Assert.Equal([20, 20, 21, 21, 21], folds.Where(f => f.Key[0] == 'g').GroupBy(f => f.Value).Select(g => g.Count()).Order());
        Assert.Equal([10, 10, 10, 11, 11], folds.Where(f => f.Key[0] == 'b').GroupBy(f => f.Value).Select(g => g.Count()).Order());
        Assert.Equal(folds, GoldAugmentationSelector.AssignFolds([gold.Reverse(), battles.Reverse()], 5, seed: 9));
        Assert.NotEqual(folds, GoldAugmentationSelector.AssignFolds([gold, battles], 5, seed: 10));
        // The gold pool deals the same folds with or without a battle pool after it.
        Assert.All(GoldAugmentationSelector.AssignFolds([gold], 5, seed: 9), g => Assert.Equal(g.Value, folds[g.Key]));
    }

    [Fact]
    public void Strong_weak_tier_battles_are_those_between_the_two_tiers()
    {
        // Ratings far apart in three groups: {strong, s2} ≫ {weak, w2} ≫ {low}; every pair meets 20 times, the
        // better side winning 19 (within a group: 10 each).
        string[] models = [Strong, "s2", Weak, "w2", "low"];
        int[] group = [0, 0, 1, 1, 2];
        var battles = new List<Battle>();
        for (var a = 0; a < models.Length; a++)
        {
            for (var b = a + 1; b < models.Length; b++)
            {
                var aWins = group[a] == group[b] ? 10 : 19;
                battles.AddRange(Enumerable.Range(0, 20).Select(i =>
                    new Battle($"{models[a]}-{models[b]}-{i}", models[a], models[b], i < aWins ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins)));
            }
        }

        var selector = new GoldAugmentationSelector(new MLContext(seed: 1), new GoldAugmentationSelector.Options { Tiers = 3 });
        var training = selector.TrainingBattles(
            battles, gold: [], new AugmentationCandidate(0f, BattleSubset.StrongWeakTiers), new HashSet<string>(), (Strong, Weak));

        HashSet<string> top = [Strong, "s2"], middle = [Weak, "w2"];
        var expected = battles.Where(b => top.Contains(b.ModelA) && middle.Contains(b.ModelB) || middle.Contains(b.ModelA) && top.Contains(b.ModelB)).ToList();
        Assert.Equal(80, expected.Count);
        Assert.Equal(expected, training);
    }

    private static bool IsPair(Battle b) => b.ModelA is Strong or Weak && b.ModelB is Strong or Weak;

    /// <summary>Records each training set's prompts and how many rows weigh 2 (gold), then trains the random router.</summary>
    private sealed class SpyTrainer : IEstimator<RouterTransformer<RandomRouterModel>>
    {
        private readonly MLContext _context = new(seed: 1);

        public List<(HashSet<string> Prompts, int DoubledRows)> Trained { get; } = [];

        public RouterTransformer<RandomRouterModel> Fit(IDataView input)
        {
            Trained.Add(([.. input.GetColumn<string>("Prompt")], input.GetColumn<float>("Weight").Count(w => w == 2)));
            return _context.Routing().Trainers.Random(new RandomRouterTrainer.Options { StrongModel = Strong, WeakModel = Weak })
                .Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => throw new NotSupportedException();
    }
}
