using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Ranking;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Ranking;

public sealed class BradleyTerryTests
{
    private static Battle B(string a, string b, BattleOutcome outcome, float weight = 1) => new("prompt", a, b, outcome, weight);

    private static double RatingOf(IReadOnlyList<ModelRating> ratings, string model) => ratings.Single(r => r.Model == model).Rating;

    [Fact]
    public void Two_models_match_the_hand_solved_maximum()
    {
        // Rows: A wins 2·2 + 1 (tie), B wins 2·1 + 1 (tie) → P(A beats B) = 5/8 → R_A − R_B = 400·log10(5/3), mean 1000.
        var ratings = BradleyTerry.Fit([
            B("a", "b", BattleOutcome.ModelAWins), B("b", "a", BattleOutcome.ModelBWins),
            B("a", "b", BattleOutcome.ModelBWins), B("a", "b", BattleOutcome.Tie),
        ]);

        var gap = 400 * Math.Log10(5.0 / 3);
        Assert.Equal(["a", "b"], ratings.Select(r => r.Model));
        Assert.Equal(1000 + gap / 2, RatingOf(ratings, "a"), 1e-6);
        Assert.Equal(1000 - gap / 2, RatingOf(ratings, "b"), 1e-6);
        Assert.Equal(5.0 / 8, BradleyTerry.WinProbability(ratings[0].Rating, ratings[1].Rating), 1e-9);
    }

    [Fact]
    public void A_tie_counts_as_one_win_for_each_side()
    {
        // {A win, tie} duplicated is 3 A-rows and 1 B-row, the same as {3 A wins, 1 B win}.
        var withTie = BradleyTerry.Fit([B("a", "b", BattleOutcome.ModelAWins), B("a", "b", BattleOutcome.Tie)]);
        var withoutTie = BradleyTerry.Fit([
            B("a", "b", BattleOutcome.ModelAWins), B("a", "b", BattleOutcome.ModelAWins),
            B("a", "b", BattleOutcome.ModelAWins), B("a", "b", BattleOutcome.ModelBWins),
        ]);

        Assert.Equal(RatingOf(withoutTie, "a"), RatingOf(withTie, "a"), 1e-9);
        Assert.Equal(1000 + 200 * Math.Log10(3), RatingOf(withTie, "a"), 1e-6);
        var onlyTies = BradleyTerry.Fit([B("a", "b", BattleOutcome.Tie), B("b", "a", BattleOutcome.Tie)]);
        Assert.All(onlyTies, r => Assert.Equal(1000, r.Rating, 1e-9));
    }

    [Fact]
    public void Weights_act_as_repeated_battles()
    {
        var weighted = BradleyTerry.Fit([B("a", "b", BattleOutcome.ModelAWins, 3), B("a", "b", BattleOutcome.ModelBWins)]);
        var repeated = BradleyTerry.Fit([
            B("a", "b", BattleOutcome.ModelAWins), B("a", "b", BattleOutcome.ModelAWins),
            B("a", "b", BattleOutcome.ModelAWins), B("a", "b", BattleOutcome.ModelBWins),
        ]);

        Assert.Equal(RatingOf(repeated, "a"), RatingOf(weighted, "a"), 1e-9);
    }

    [Fact]
    public void Weighted_fit_equals_rowwise_logistic_regression_to_a_thousandth_of_an_elo()
    {
        var battles = SyntheticBattles.Create(promptCount: 1, battleCount: 80, tieRate: 0.15, seed: 11, names: ["m0", "m1", "m2", "m3", "m4"],
            skills: [.. new[] { 1.0, 0.5, 0.0, -0.3, -1.0 }.Select(log10Odds => log10Odds * Math.Log(10))], promptEffect: 0, weights: (0.1f, 3.1f)).Battles;

        var ratings = BradleyTerry.Fit(battles);

        var index = battles.SelectMany(b => new[] { b.ModelA, b.ModelB }).Distinct().Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i);
        var reference = RowwiseLogisticReference.Ratings(index.Count,
            [.. battles.Select(b => (index[b.ModelA], index[b.ModelB], b.Outcome, (double)b.Weight))]);
        foreach (var (model, i) in index)
        {
            Assert.Equal(reference[i], RatingOf(ratings, model), 1e-3);
        }

        Assert.Equal(1000, ratings.Average(r => r.Rating), 1e-9);
        Assert.Equal(ratings.OrderByDescending(r => r.Rating), ratings);
    }

    [Fact]
    public void A_battle_of_a_model_with_itself_is_rated_against_a_fixed_1000_as_RouteLLM_does()
    {
        // RouteLLM's row is −ln10 in the model's column: model as B against a 1000-rated opponent as A.
        // B wins 3, A wins 1 → 6 of 8 rows won by the model → rating 1000 + 400·log10(3).
        var ratings = BradleyTerry.Fit([
            B("a", "a", BattleOutcome.ModelBWins), B("a", "a", BattleOutcome.ModelBWins),
            B("a", "a", BattleOutcome.ModelBWins), B("a", "a", BattleOutcome.ModelAWins),
        ]);

        Assert.Equal(1000 + 400 * Math.Log10(3), Assert.Single(ratings).Rating, 1e-6);
    }

    [Fact]
    public void RouteLLMs_anchor_model_is_pinned_to_1082()
    {
        var ratings = BradleyTerry.Fit([
            B(BradleyTerry.AnchorModel, "b", BattleOutcome.ModelAWins), B(BradleyTerry.AnchorModel, "b", BattleOutcome.ModelBWins),
            B("b", "c", BattleOutcome.ModelAWins), B("c", "b", BattleOutcome.Tie),
        ]);

        Assert.Equal(BradleyTerry.AnchorRating, RatingOf(ratings, BradleyTerry.AnchorModel), 1e-9);
        Assert.Equal(RatingOf(ratings, "b"), RatingOf(ratings, BradleyTerry.AnchorModel), 1e-6);
    }

    [Fact]
    public void A_model_that_never_loses_gets_a_finite_rating_far_above_the_rest()
    {
        var ratings = BradleyTerry.Fit([
            B("a", "b", BattleOutcome.ModelAWins), B("b", "a", BattleOutcome.ModelBWins),
            B("b", "c", BattleOutcome.ModelAWins), B("b", "c", BattleOutcome.ModelBWins),
        ]);

        Assert.All(ratings, r => Assert.True(double.IsFinite(r.Rating)));
        Assert.Equal("a", ratings[0].Model);
        Assert.True(BradleyTerry.WinProbability(RatingOf(ratings, "a"), RatingOf(ratings, "b")) > 1 - 1e-9);
        Assert.Equal(RatingOf(ratings, "b"), RatingOf(ratings, "c"), 1e-3);
    }

    [Fact]
    public void Negative_or_non_finite_weights_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BradleyTerry.Fit([B("a", "b", BattleOutcome.Tie), B("a", "b", BattleOutcome.Tie, -1)]));
        Assert.Contains("Battle 1", error.Message);
        Assert.Throws<ArgumentException>(() => BradleyTerry.Fit([B("a", "b", BattleOutcome.Tie, float.NaN)]));
    }
}
