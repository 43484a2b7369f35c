using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers.Baseline;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class RoutingMetricsTests
{
    // Five prompts, worked by hand. Strong quality (1+1+0+1+0)/5 = 0.6, weak (1+0+0+0+1)/5 = 0.4, gap 0.2.
    //   score  strong weak
    //   0.1    1      1
    //   0.2    1      0
    //   0.4    0      0
    //   0.5    1      0
    //   0.8    0      1
    // Thresholds at the k·10% quantiles, position k·0.4 in the sorted scores:
    //   k  position threshold  strong (score >= t; > at k=10)   share quality         PGR
    //   0  0.0      0.1        all five                          1.0   0.6             1
    //   1  0.4      0.14       0.2 0.4 0.5 0.8                   0.8   (1+1+0+1+0)/5=0.6 1
    //   2  0.8      0.18       same                              0.8   0.6             1
    //   3  1.2      0.24       0.4 0.5 0.8                       0.6   (1+0+0+1+0)/5=0.4 0
    //   4  1.6      0.32       same                              0.6   0.4             0
    //   5  2.0      0.4        0.4 0.5 0.8 (0.4 >= 0.4)          0.6   0.4             0
    //   6  2.4      0.44       0.5 0.8                           0.4   (1+0+0+1+0)/5=0.4 0
    //   7  2.8      0.48       same                              0.4   0.4             0
    //   8  3.2      0.56       0.8                               0.2   (1+0+0+0+0)/5=0.2 -1
    //   9  3.6      0.68       same                              0.2   0.2             -1
    //  10  4.0      0.8        none (0.8 > 0.8 is false)         0.0   0.4             0
    private static readonly float[] Scores = [0.4f, 0.1f, 0.8f, 0.2f, 0.5f];

    private static readonly BenchmarkPrompt[] Prompts =
    [
        new("c", 0, 0), new("a", 1, 1), new("e", 0, 1), new("b", 1, 0), new("d", 1, 0),
    ];

    [Fact]
    public void Curve_matches_the_hand_computed_thresholds_shares_qualities_and_pgrs()
    {
        var curve = RoutingMetrics.Curve(Scores, Prompts);

        double[] thresholds = [0.8, 0.68, 0.56, 0.48, 0.44, 0.4, 0.32, 0.24, 0.18, 0.14, 0.1];
        double[] shares = [0, 0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.6, 0.8, 0.8, 1];
        double[] qualities = [0.4, 0.2, 0.2, 0.4, 0.4, 0.4, 0.4, 0.4, 0.6, 0.6, 0.6];
        double[] pgrs = [0, -1, -1, 0, 0, 0, 0, 0, 1, 1, 1];
        Assert.Equal(11, curve.Count);
        for (var i = 0; i < curve.Count; i++)
        {
            Assert.Equal(thresholds[i], curve[i].Threshold!.Value, 6);
            Assert.Equal(shares[i], curve[i].StrongShare, 12);
            Assert.Equal(qualities[i], curve[i].Quality, 12);
            Assert.Equal(pgrs[i], curve[i].Pgr, 12);
        }
    }

    [Fact]
    public void Apgr_is_the_trapezoid_area_under_pgr()
    {
        // Segments of width 0.2 (zero-width ones add nothing): 0→0.2: (0 + -1)/2·0.2 = -0.1; 0.2→0.4: (-1 + 0)/2·0.2 = -0.1;
        // 0.4→0.6: 0; 0.6→0.8: (0 + 1)/2·0.2 = 0.1; 0.8→1: (1 + 1)/2·0.2 = 0.2. Total 0.1 over a span of 1.
        Assert.Equal(0.1, RoutingMetrics.Apgr(RoutingMetrics.Curve(Scores, Prompts)), 12);
    }

    [Theory]
    // PGR first reaches x at share 0.8 (PGR 1), coming from share 0.6 (PGR 0): CPT = 0.6 + x·0.2. The dip to -1 at
    // share 0.2 comes before and does not count as a crossing.
    [InlineData(0.2, 0.64)]
    [InlineData(0.5, 0.70)]
    [InlineData(0.8, 0.76)]
    [InlineData(1.0, 0.80)]
    public void Cpt_interpolates_at_the_first_crossing(double pgr, double expected) =>
        Assert.Equal(expected, RoutingMetrics.CallPerformanceThreshold(RoutingMetrics.Curve(Scores, Prompts), pgr)!.Value, 12);

    [Fact]
    public void Cpt_above_the_curve_is_never_reached()
    {
        Assert.Null(RoutingMetrics.CallPerformanceThreshold(RoutingMetrics.Curve(Scores, Prompts), 1.01));
        Assert.Equal(0.0, RoutingMetrics.CallPerformanceThreshold(RoutingMetrics.Curve(Scores, Prompts), -0.5));
    }

    [Fact]
    public void The_maximum_threshold_uses_strictly_greater_so_that_no_prompt_goes_strong()
    {
        // Scores 0.1 0.9 0.9 0.9: the 90% quantile (position 2.7) is 0.9 and sends the three 0.9s to the strong model
        // (>=); the 100% quantile is 0.9 too, and with > sends none.
        var prompts = new BenchmarkPrompt[] { new("a", 1, 0), new("b", 1, 0), new("c", 0, 0), new("d", 1, 1) };
        var curve = RoutingMetrics.Curve([0.1f, 0.9f, 0.9f, 0.9f], prompts);

        Assert.Equal((double)0.9f, curve[0].Threshold);
        Assert.Equal(0, curve[0].StrongShare);
        Assert.Equal((double)0.9f, curve[1].Threshold);
        Assert.Equal(0.75, curve[1].StrongShare);
    }

    [Fact]
    public void A_router_with_one_score_for_all_is_all_or_nothing_and_has_apgr_one_half()
    {
        // Every threshold is 0.5: >= sends all prompts strong, the last (>) none. The curve is a straight line from
        // (0, 0) to (1, 1): APGR 0.5 and CPT(50%) 0.5, the random router's expectation.
        var prompts = new BenchmarkPrompt[] { new("a", 1, 0), new("b", 0, 0), new("c", 1, 1), new("d", 1, 0) };
        var curve = RoutingMetrics.Curve([0.5f, 0.5f, 0.5f, 0.5f], prompts);

        Assert.Equal([0.0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], curve.Select(p => p.StrongShare));
        Assert.Equal(0.5, RoutingMetrics.Apgr(curve), 12);
        Assert.Equal(0.5, RoutingMetrics.CallPerformanceThreshold(curve, 0.5)!.Value, 12);
    }

    [Fact]
    public void Thresholds_are_numpy_quantiles_bit_for_bit()
    {
        // pandas' qcut asks numpy for the 0.1·6·100/100 = 0.6000000000000001 quantile; over six sorted scores that is
        // position 3.0000000000000004, a hair above the fourth score, so that score goes to the weak model: two
        // prompts go strong at the 60% point, where exact arithmetic would send three.
        var prompts = Enumerable.Range(0, 6).Select(i => new BenchmarkPrompt($"p{i}", 1, 0)).ToArray();
        var curve = RoutingMetrics.Curve([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], prompts);

        var sixtyPercent = curve[^7];
        Assert.True(sixtyPercent.Threshold > 0.4f);
        Assert.Equal(2 / 6.0, sixtyPercent.StrongShare, 12);
        Assert.Equal(3 / 6.0, curve[^6].StrongShare, 12);
    }

    [Fact]
    public void Equal_strong_and_weak_quality_leaves_pgr_undefined_and_is_refused()
    {
        var prompts = new BenchmarkPrompt[] { new("a", 1, 0), new("b", 0, 1), new("c", 1, 1) };
        var error = Assert.Throws<ArgumentException>(() => RoutingMetrics.Curve([0.2f, 0.5f, 0.7f], prompts));
        Assert.Contains("PGR is undefined", error.Message);
        Assert.Throws<ArgumentException>(() => RoutingMetrics.Oracle(prompts));
    }

    [Fact]
    public void Oracle_spends_its_budget_on_the_prompts_only_the_strong_model_gets_right()
    {
        // Gains strong − weak: a 0, b +1, c 0, d +1, e −1; weak total 2 of 5, gap 0.2. With budget s·5 strong calls the
        // oracle recovers min(s·5, 2) (RouteLLM's get_optimal_accuracy): s = 0.1 → (2 + 0.5)/5 = 0.5 (PGR 0.5),
        // 0.2 → 0.6 (1), 0.3 → 0.7 (1.5), 0.4 and up → 0.8 (2).
        var oracle = RoutingMetrics.Oracle(Prompts);

        Assert.Equal(Enumerable.Range(0, 11).Select(k => k / 10.0), oracle.Select(p => p.StrongShare));
        Assert.All(oracle, p => Assert.Null(p.Threshold));
        double[] pgrs = [0, 0.5, 1, 1.5, 2, 2, 2, 2, 2, 2, 2];
        Assert.Equal(pgrs, oracle.Select(p => Math.Round(p.Pgr, 12)));
        Assert.Equal(0.7, oracle[3].Quality, 12);

        // Trapezoids of width 0.1: 0.1·(sum of PGRs − (first + last)/2) = 0.1·(17 − 1) = 1.6.
        Assert.Equal(1.6, RoutingMetrics.Apgr(oracle), 12);
    }

    [Fact]
    public void Oracle_takes_graded_gains_largest_first_and_a_fraction_of_the_next()
    {
        // Grades (strong, weak): gains +2, 0, −3, +4; weak mean 7.5, strong 8.25. At s = 0.3 the budget is 1.2 calls:
        // the +4 prompt and 0.2 of the +2 one: (30 + 4 + 0.4)/4 = 8.6, PGR (8.6 − 7.5)/0.75.
        var prompts = new BenchmarkPrompt[] { new("a", 9, 7), new("b", 8, 8), new("c", 6, 9), new("d", 10, 6) };
        var oracle = RoutingMetrics.Oracle(prompts);

        Assert.Equal(8.6, oracle[3].Quality, 12);
        Assert.Equal(1.1 / 0.75, oracle[3].Pgr, 12);
        Assert.Equal(9.0, oracle[10].Quality, 12);
    }

    [Fact]
    public void Random_router_recovers_half_the_gap_on_a_large_benchmark()
    {
        var prompts = Benchmarks.Binary(20_000, seed: 5);
        var random = RoutingMetrics.RandomRouterCurve(prompts);

        Assert.InRange(RoutingMetrics.Apgr(random), 0.48, 0.52);
        Assert.All(random, p => Assert.Null(p.Threshold));
        for (var k = 0; k <= 10; k++)
        {
            Assert.Equal(k / 10.0, random[k].StrongShare, 3);
        }
    }

    [Fact]
    public void Random_baseline_is_the_mean_over_seeds_which_vary_widely_on_72_prompts()
    {
        var prompts = Benchmarks.Binary(72, seed: 3);
        var perSeed = Enumerable.Range(0, 10)
            .Select(seed => RoutingMetrics.Apgr(RoutingMetrics.Curve([.. prompts.Select(p => RandomRouterModel.Draw(seed, p.Prompt))], prompts)))
            .ToArray();

        Assert.Equal(perSeed.Average(), RoutingMetrics.Apgr(RoutingMetrics.RandomRouterCurve(prompts, seeds: 10)), 12);
        Assert.True(perSeed.Max() - perSeed.Min() > 0.05, $"APGR over seeds: {string.Join(", ", perSeed)}");
    }

    [Fact]
    public void Curves_must_be_in_ascending_share()
    {
        var backwards = RoutingMetrics.Curve(Scores, Prompts).Reverse().ToArray();
        Assert.Throws<ArgumentException>(() => RoutingMetrics.Apgr(backwards));
        Assert.Throws<ArgumentException>(() => RoutingMetrics.CallPerformanceThreshold(backwards, 0.5));
    }

    [Fact]
    public void Misaligned_or_nan_scores_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RoutingMetrics.Curve([0.1f, 0.2f], Prompts));
        Assert.Throws<ArgumentException>(() => RoutingMetrics.Curve([0.1f, float.NaN, 0.3f, 0.4f, 0.5f], Prompts));
    }
}
