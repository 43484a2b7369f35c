namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// RouterBench's measures of a cost/quality curve (Hu et al., 2024): its non-decreasing convex hull, and AIQ, the hull's
/// mean quality over a cost range.
/// </summary>
public static class MultiModelMetrics
{
    /// <summary>
    /// The non-decreasing convex hull of <paramref name="points"/>: the upper-left boundary of their convex hull from the
    /// cheapest point up to the best one, so quality rises with cost and each extra dollar buys no more than the last.
    /// Points are returned by increasing cost, without <see cref="CostQualityPoint.Lambda"/>.
    /// </summary>
    /// <param name="points">The curve's points; at least one.</param>
    public static IReadOnlyList<CostQualityPoint> NonDecreasingHull(IEnumerable<CostQualityPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sorted = points.OrderBy(p => p.CostUsd).ThenByDescending(p => p.Quality).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A hull needs at least one point.", nameof(points));
        }

        var hull = new List<CostQualityPoint>();
        foreach (var point in sorted)
        {
            // A point no better than a cheaper one is dominated; the hull only climbs.
            if (hull.Count > 0 && point.Quality <= hull[^1].Quality)
            {
                continue;
            }

            while (hull.Count >= 2 && !TurnsRight(hull[^2], hull[^1], point))
            {
                hull.RemoveAt(hull.Count - 1);
            }

            hull.Add(new CostQualityPoint(point.CostUsd, point.Quality));
        }

        return hull;
    }

    /// <summary>
    /// AIQ: the mean of the hull's quality over [<paramref name="minCost"/>, <paramref name="maxCost"/>], the hull
    /// interpolated linearly between its points, flat right of its last point and zero left of its first. When the range
    /// is one cost, the hull's quality there.
    /// </summary>
    /// <param name="hull">A hull from <see cref="NonDecreasingHull"/>.</param>
    /// <param name="minCost">The range's lower end (the cheapest single model's mean cost).</param>
    /// <param name="maxCost">The range's upper end (the dearest single model's mean cost).</param>
    public static double Aiq(IReadOnlyList<CostQualityPoint> hull, double minCost, double maxCost)
    {
        ArgumentNullException.ThrowIfNull(hull);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCost, minCost);
        if (hull.Count == 0)
        {
            throw new ArgumentException("AIQ needs a hull of at least one point.", nameof(hull));
        }

        if (maxCost == minCost)
        {
            return QualityAt(hull, minCost);
        }

        var area = 0.0;
        for (var i = 0; i < hull.Count; i++)
        {
            // Segment i runs from hull[i] to hull[i + 1], or flat from the last point to the range's end.
            var (c0, q0) = (hull[i].CostUsd, hull[i].Quality);
            var (c1, q1) = i + 1 < hull.Count ? (hull[i + 1].CostUsd, hull[i + 1].Quality) : (Math.Max(maxCost, c0), q0);
            var (from, to) = (Math.Max(c0, minCost), Math.Min(c1, maxCost));
            if (to > from)
            {
                area += (to - from) * (Interpolate(c0, q0, c1, q1, from) + Interpolate(c0, q0, c1, q1, to)) / 2;
            }
        }

        return area / (maxCost - minCost);
    }

    /// <summary>The hull's quality at <paramref name="cost"/>: zero left of its first point, flat right of its last.</summary>
    /// <param name="hull">A hull from <see cref="NonDecreasingHull"/>.</param>
    /// <param name="cost">A mean cost per prompt.</param>
    public static double QualityAt(IReadOnlyList<CostQualityPoint> hull, double cost)
    {
        ArgumentNullException.ThrowIfNull(hull);
        if (hull.Count == 0 || cost < hull[0].CostUsd)
        {
            return 0;
        }

        for (var i = 0; i + 1 < hull.Count; i++)
        {
            if (cost <= hull[i + 1].CostUsd)
            {
                return Interpolate(hull[i].CostUsd, hull[i].Quality, hull[i + 1].CostUsd, hull[i + 1].Quality, cost);
            }
        }

        return hull[^1].Quality;
    }

    /// <summary>The lowest cost at which the hull reaches <paramref name="quality"/>, or null when it never does.</summary>
    /// <param name="hull">A hull from <see cref="NonDecreasingHull"/>.</param>
    /// <param name="quality">The quality to reach.</param>
    public static double? CostToReach(IReadOnlyList<CostQualityPoint> hull, double quality)
    {
        ArgumentNullException.ThrowIfNull(hull);
        for (var i = 0; i < hull.Count; i++)
        {
            if (hull[i].Quality >= quality)
            {
                if (i == 0)
                {
                    return hull[0].CostUsd;
                }

                var (previous, point) = (hull[i - 1], hull[i]);
                return previous.CostUsd + ((quality - previous.Quality) / (point.Quality - previous.Quality) * (point.CostUsd - previous.CostUsd));
            }
        }

        return null;
    }

    private static bool TurnsRight(CostQualityPoint a, CostQualityPoint b, CostQualityPoint c) =>
        ((b.CostUsd - a.CostUsd) * (c.Quality - a.Quality)) - ((b.Quality - a.Quality) * (c.CostUsd - a.CostUsd)) < 0;

    private static double Interpolate(double c0, double q0, double c1, double q1, double cost) =>
        c1 == c0 ? q1 : q0 + ((q1 - q0) * (cost - c0) / (c1 - c0));
}
