using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class BootstrapTests
{
    private static readonly BenchmarkPrompt[] Prompts = Benchmarks.Binary(300, seed: 11);
    private static readonly float[] Scores = Benchmarks.InformativeScores(Prompts, seed: 12);

    [Fact]
    public void Intervals_contain_the_point_estimates()
    {
        var curve = RoutingMetrics.Curve(Scores, Prompts);
        var apgr = RoutingMetrics.Apgr(curve);
        var cpt50 = RoutingMetrics.CallPerformanceThreshold(curve, 0.5)!.Value;

        var intervals = RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 400, seed: 1);

        Assert.InRange(apgr, intervals.Apgr.Lower, intervals.Apgr.Upper);
        Assert.InRange(cpt50, intervals.Cpt50.Lower, intervals.Cpt50.Upper);
        Assert.True(intervals.Apgr.Upper - intervals.Apgr.Lower > 0.01, $"APGR interval {intervals.Apgr} is implausibly narrow.");
    }

    [Fact]
    public void Intervals_are_deterministic_for_a_seed()
    {
        var first = RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 200, seed: 7);
        Assert.Equal(first, RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 200, seed: 7));
        Assert.NotEqual(first, RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 200, seed: 8));
    }

    [Fact]
    public void Intervals_narrow_as_the_benchmark_grows()
    {
        var large = Benchmarks.Binary(3000, seed: 11);
        var of300 = RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 200, seed: 1).Apgr;
        var of3000 = RoutingMetrics.Bootstrap(Benchmarks.InformativeScores(large, seed: 12), large, resamples: 200, seed: 1).Apgr;

        // The width shrinks like 1/sqrt(n): about 3.2 times here.
        Assert.True(of3000.Upper - of3000.Lower < (of300.Upper - of300.Lower) / 2, $"n=300: {of300}; n=3000: {of3000}");
    }

    [Fact]
    public void Resamples_where_the_models_tie_are_drawn_again()
    {
        // A quarter of the resamples of these two prompts hold the "tie" prompt twice, where both models score 0: they
        // have no PGR and are drawn again, so every bound is a number.
        var prompts = new BenchmarkPrompt[] { new("gap", 1, 0), new("tie", 0, 0) };
        var intervals = RoutingMetrics.Bootstrap([0.9f, 0.1f], prompts, resamples: 100, seed: 3);

        Assert.All(new[] { intervals.Apgr.Lower, intervals.Apgr.Upper, intervals.Cpt50.Lower, intervals.Cpt50.Upper }, b => Assert.True(double.IsFinite(b)));
    }

    [Fact]
    public void Too_few_resamples_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutingMetrics.Bootstrap(Scores, Prompts, resamples: 1));
}
