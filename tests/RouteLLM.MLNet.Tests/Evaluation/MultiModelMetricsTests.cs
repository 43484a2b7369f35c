using RouteLLM.MLNet.Evaluation;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class MultiModelMetricsTests
{
    private static CostQualityPoint P(double cost, double quality) => new(cost, quality);

    [Fact]
    public void The_hull_drops_points_below_the_chord_and_past_the_best()
    {
        // C (2, 0.6) lies under the chord A–B (0.7 at cost 2); D (4, 0.8) is dearer and worse than B.
        var hull = MultiModelMetrics.NonDecreasingHull([P(2, 0.6), P(3, 0.9), P(1, 0.5), P(4, 0.8)]);

        Assert.Equal([P(1, 0.5), P(3, 0.9)], hull);
    }

    [Fact]
    public void The_hull_keeps_a_point_above_the_chord_and_drops_a_dominated_one()
    {
        // (1.2, 0.5) is no better than the cheaper (1, 0.5); (2, 0.8) is above the chord from (1, 0.5) to (3, 0.9).
        var hull = MultiModelMetrics.NonDecreasingHull([P(1, 0.5), P(1.2, 0.5), P(2, 0.8), P(3, 0.9)]);

        Assert.Equal([P(1, 0.5), P(2, 0.8), P(3, 0.9)], hull);
    }

    [Fact]
    public void Aiq_is_the_mean_of_the_hull_over_the_cost_range()
    {
        // A straight line from 0.5 to 0.9 over [1, 3]: its mean is 0.7.
        Assert.Equal(0.7, MultiModelMetrics.Aiq([P(1, 0.5), P(3, 0.9)], 1, 3), 12);
    }

    [Fact]
    public void Aiq_counts_zero_left_of_the_first_point_and_flat_right_of_the_last()
    {
        // Over [1, 3]: zero on [1, 1.5]; the segment 0.8 → 0.95 on [1.5, 2.5] (area 0.875); 0.95 flat on [2.5, 3]
        // (area 0.475). (0 + 0.875 + 0.475) / 2 = 0.675.
        Assert.Equal(0.675, MultiModelMetrics.Aiq([P(1.5, 0.8), P(2.5, 0.95)], 1, 3), 12);
        Assert.Equal(0.95, MultiModelMetrics.QualityAt([P(1.5, 0.8), P(2.5, 0.95)], 10));
        Assert.Equal(0, MultiModelMetrics.QualityAt([P(1.5, 0.8), P(2.5, 0.95)], 1.4));
    }

    [Fact]
    public void The_cost_to_reach_a_quality_interpolates_along_the_hull()
    {
        IReadOnlyList<CostQualityPoint> hull = [P(1.5, 0.8), P(2.5, 0.95)];

        Assert.Equal(1.5 + (0.1 / 0.15), MultiModelMetrics.CostToReach(hull, 0.9)!.Value, 12);
        Assert.Equal(1.5, MultiModelMetrics.CostToReach(hull, 0.3));
        Assert.Null(MultiModelMetrics.CostToReach(hull, 0.96));
    }
}
