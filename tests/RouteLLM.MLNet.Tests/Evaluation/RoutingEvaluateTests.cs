using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class RoutingEvaluateTests
{
    // RoutingMetricsTests' five prompts, worked by hand there: APGR 0.1; PGR goes from 0 at share 0.6 to 1 at share 0.8,
    // so CPT(x) = 0.6 + x · 0.2.
    private static readonly ScoredPrompt[] Rows =
    [
        new() { Prompt = "c", StrongQuality = 0, WeakQuality = 0, StrongWinRate = 0.4f },
        new() { Prompt = "a", StrongQuality = 1, WeakQuality = 1, StrongWinRate = 0.1f },
        new() { Prompt = "e", StrongQuality = 0, WeakQuality = 1, StrongWinRate = 0.8f },
        new() { Prompt = "b", StrongQuality = 1, WeakQuality = 0, StrongWinRate = 0.2f },
        new() { Prompt = "d", StrongQuality = 1, WeakQuality = 0, StrongWinRate = 0.5f },
    ];

    [Fact]
    public void Evaluate_gives_the_hand_computed_routing_metrics_of_a_scored_view()
    {
        var ml = new MLContext(seed: 1);

        var metrics = ml.Routing().Evaluate(ml.Data.LoadFromEnumerable(Rows));

        Assert.Equal(5, metrics.Prompts);
        Assert.Equal(0.1, metrics.Apgr, 12);
        Assert.Equal(0.64, metrics.Cpt.Cpt20!.Value, 12);
        Assert.Equal(0.7, metrics.Cpt.Cpt50!.Value, 12);
        Assert.Equal(0.76, metrics.Cpt.Cpt80!.Value, 12);
        Assert.Equal(11, metrics.Curve.Count);
        var prompts = Rows.Select(r => new BenchmarkPrompt(r.Prompt, r.StrongQuality, r.WeakQuality)).ToList();
        Assert.Equal(RoutingMetrics.Apgr(RoutingMetrics.Oracle(prompts)), metrics.OracleApgr, 12);
        Assert.Equal(RoutingMetrics.Apgr(RoutingMetrics.RandomRouterCurve(prompts)), metrics.RandomApgr, 12);
    }

    [Fact]
    public void A_missing_or_mistyped_column_is_named()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);

        var missing = Assert.Throws<ArgumentException>(() => ml.Routing().Evaluate(data, scoreColumnName: "Score"));
        Assert.Contains("no column 'Score'", missing.Message);
        var mistyped = Assert.Throws<ArgumentException>(() => ml.Routing().Evaluate(data, strongQualityColumnName: "StrongWinRate"));
        Assert.Contains("Column 'StrongWinRate' has type Single", mistyped.Message);
    }

    private sealed class ScoredPrompt
    {
        public string Prompt { get; set; } = "";

        public double StrongQuality { get; set; }

        public double WeakQuality { get; set; }

        public float StrongWinRate { get; set; }
    }
}
