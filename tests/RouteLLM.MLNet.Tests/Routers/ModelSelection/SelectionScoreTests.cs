using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class SelectionScoreTests
{
    private const string Strong = ScriptedRouterModel.StrongModel;
    private const string Weak = ScriptedRouterModel.WeakModel;

    [Fact]
    public void Battle_pool_routes_each_prompt_once_with_the_mean_gain_of_its_battles()
    {
        // The scripted router scores a prompt by its "p=" prefix. Gains: a = mean(+1, +1) = 1, b = mean(+1, −1) = 0,
        // c = mean(−1, tie) = −½; total ½. Sent in score order a, b, c: PGR 0, 2, 2, 1 at shares 0, ⅓, ⅔, 1, so
        // APGR = ⅓·(1 + 2 + 1.5) = 1.5. AUC: the one positive (a) is above the one negative (c) = 1. Log-loss over
        // a (0.9, won) and c (0.3, lost): −(ln 0.9 + ln 0.7) / 2.
        Battle[] battles =
        [
            new("p=0.9 a", Strong, Weak, BattleOutcome.ModelAWins), new("p=0.9 a", Weak, Strong, BattleOutcome.ModelBWins),
            new("p=0.6 b", Strong, Weak, BattleOutcome.ModelAWins), new("p=0.6 b", Strong, Weak, BattleOutcome.ModelBWins),
            new("p=0.3 c", Weak, Strong, BattleOutcome.ModelAWins), new("p=0.3 c", Strong, Weak, BattleOutcome.Tie),
        ];

        var score = GoldAugmentationSelector.ScorePool(ScriptedRouterModel.Create(0.5f), embeddings: null, battles, "test");

        Assert.Equal(3, score.Prompts);
        Assert.Equal(1.5, score.Apgr, 12);
        Assert.Equal(1, score.Auc, 12);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.7)) / 2, score.LogLoss, 6);
    }

    [Fact]
    public void Pool_without_a_strong_minus_weak_gap_is_an_error_naming_it()
    {
        Battle[] battles = [new("p=0.9 a", Strong, Weak, BattleOutcome.ModelBWins), new("p=0.1 b", Strong, Weak, BattleOutcome.Tie)];

        var error = Assert.Throws<ArgumentException>(() =>
            GoldAugmentationSelector.ScorePool(ScriptedRouterModel.Create(0.5f), embeddings: null, battles, "battle fold 3"));
        Assert.Contains("battle fold 3", error.Message);
    }

    [Fact]
    public void Criterion_is_the_mean_of_both_pools_or_gold_alone()
    {
        var gold = new PoolScore(10, 0.6, 0.6, 0.5);
        Assert.Equal(0.7, new FoldScore(0, gold, new PoolScore(5, 0.8, 0.7, 0.6)).Criterion, 12);
        Assert.Equal(0.6, new FoldScore(0, gold, Battles: null).Criterion, 12);
    }

    [Fact]
    public void Candidate_means_and_standard_errors_are_taken_across_folds()
    {
        // Fold criteria ½(0.6 + 0.8) = 0.7 and ½(0.4 + 0.6) = 0.5: mean 0.6, sample variance 0.02, SE √(0.02 / 2) = 0.1.
        var score = new CandidateScore("c", AugmentationCandidate.GoldOnly,
        [
            new FoldScore(0, new PoolScore(10, 0.6, double.NaN, 0.5), new PoolScore(5, 0.8, 0.7, 0.6)),
            new FoldScore(1, new PoolScore(10, 0.4, 0.55, 0.5), new PoolScore(5, 0.6, 0.6, 0.6)),
        ]);

        Assert.Equal(0.6, score.MeanCriterion, 12);
        Assert.Equal(0.1, score.CriterionStandardError, 12);
        Assert.Equal(0.5, score.MeanGoldApgr, 12);
        Assert.Equal(0.7, score.MeanBattleApgr, 12);
        // An undefined fold score (NaN AUC) is left out of the mean.
        Assert.Equal(0.55, score.Mean(f => f.Gold.Auc), 12);
    }

    [Fact]
    public void Metrics_record_every_candidate_and_leave_out_undefined_scores()
    {
        CandidateScore Candidate(string name, double gold, PoolScore? battles) =>
            new(name, new AugmentationCandidate(10f), [new FoldScore(0, new PoolScore(4, gold, double.NaN, 0.5), battles)]);
        var selection = new GoldAugmentationSelection(1, [Candidate("a", 0.6, null), Candidate("b", 0.7, new PoolScore(3, 0.9, 0.8, 0.4))]);

        var metrics = selection.ToMetrics();
        var names = selection.ToDescriptions();

        Assert.Equal(1, metrics["selection.best"]);
        Assert.Equal(0.8, metrics["selection.criterion"], 12);
        Assert.Equal(0.9, metrics["selection.candidate1.fold0.battle_apgr"], 12);
        Assert.Equal((int)BattleSubset.All, metrics["selection.candidate0.battles"]);
        Assert.False(metrics.ContainsKey("selection.candidate0.battle_apgr"));
        Assert.False(metrics.ContainsKey("selection.candidate0.gold_auc"));
        Assert.Equal("b", names["selection.chosen"]);
        Assert.Equal("a", names["selection.candidate0"]);
    }

    [Fact]
    public void Candidates_describe_their_data()
    {
        Assert.Equal("battles", AugmentationCandidate.BattlesOnly.ToString());
        Assert.Equal("gold", AugmentationCandidate.GoldOnly.ToString());
        Assert.Equal("battles + gold×30", new AugmentationCandidate(30f).ToString());
        Assert.Equal("strong/weak-tier battles + gold×10", new AugmentationCandidate(10f, BattleSubset.StrongWeakTiers).ToString());
        Assert.False(new AugmentationCandidate(0f, BattleSubset.None).IsValid);
        Assert.False(new AugmentationCandidate(float.NaN).IsValid);
        Assert.False(new AugmentationCandidate(-1f).IsValid);
    }
}
