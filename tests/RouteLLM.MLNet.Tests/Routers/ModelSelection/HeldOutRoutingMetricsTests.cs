using RouteLLM.MLNet.Routers.ModelSelection;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class HeldOutRoutingMetricsTests
{
    [Fact]
    public void Apgr_is_the_area_under_the_pgr_curve()
    {
        // Sent in score order, the gains 1, 0, 1, −1 (total 1) give PGR 0, 1, 1, 2, 1 at shares 0, ¼, ½, ¾, 1:
        // trapezoids ¼·(½ + 1 + 3/2 + 3/2) = 1.125.
        Assert.Equal(1.125, HeldOutRoutingMetrics.ContinuousApgr([0.9f, 0.7f, 0.4f, 0.1f], [1, 0, 1, -1]), 12);
        // Input order does not matter, only scores.
        Assert.Equal(1.125, HeldOutRoutingMetrics.ContinuousApgr([0.1f, 0.4f, 0.9f, 0.7f], [-1, 1, 1, 0]), 12);
    }

    [Fact]
    public void Apgr_routes_tied_scores_together()
    {
        // Either order of the tie gives ½·(0 + 1)·... = 0.75 or 0.25; routing both at once is their mean.
        Assert.Equal(0.5, HeldOutRoutingMetrics.ContinuousApgr([0.5f, 0.5f], [1, 0]), 12);
    }

    [Fact]
    public void Apgr_needs_a_positive_gap()
    {
        Assert.Throws<ArgumentException>(() => HeldOutRoutingMetrics.ContinuousApgr([0.2f, 0.8f], [1, -1]));
        Assert.Throws<ArgumentException>(() => HeldOutRoutingMetrics.ContinuousApgr([0.2f], [1, 0]));
    }

    [Fact]
    public void Auc_counts_correctly_ordered_pairs_of_decisive_prompts()
    {
        // Positives 0.9, 0.3; negatives 0.8, 0.2: 3 of 4 pairs ordered; the tie-gain prompt (0.5) is ignored.
        Assert.Equal(0.75, HeldOutRoutingMetrics.Auc([0.9f, 0.8f, 0.3f, 0.2f, 0.5f], [1, -1, 1, -1, 0]), 12);
        Assert.Equal(0.5, HeldOutRoutingMetrics.Auc([0.5f, 0.5f], [1, -1]), 12);
        Assert.True(double.IsNaN(HeldOutRoutingMetrics.Auc([0.5f, 0.4f], [1, 1])));
    }

    [Fact]
    public void Log_loss_is_the_cross_entropy_of_decisive_prompts()
    {
        // −(ln 0.8 + ln 0.6) / 2.
        Assert.Equal(0.3669846, HeldOutRoutingMetrics.LogLoss([0.8f, 0.4f, 0.9f], [1, -1, 0]), 6);
    }
}
