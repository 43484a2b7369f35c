using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers.Baseline;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// RouteLLM's routing metrics (routellm/evals/evaluate.py and benchmarks.py): the cost/quality curve of a router,
/// PGR, APGR, CPT, the random and oracle baselines and bootstrap confidence intervals. Curves are lists of
/// <see cref="RoutingPoint"/> in ascending strong share; qualities are on the benchmark's own scale.
/// </summary>
public static partial class RoutingMetrics
{
    /// <summary>Thresholds sit at the 0%, 10%, …, 100% quantiles of the router's scores (RouteLLM's <c>--num-results 10</c>).</summary>
    public const int QuantileSteps = 10;

    /// <summary>Seeds RouteLLM averages the random router over (<c>--random-iters 10</c>).</summary>
    public const int DefaultRandomSeeds = 10;

    /// <summary>
    /// The router's trade-off curve, one point per threshold: thresholds at the 0%, 10%, …, 100% quantiles of
    /// <paramref name="scores"/> (numpy's linear interpolation, as pandas' <c>qcut</c> computes them); a prompt goes to
    /// the strong model when its score is ≥ the threshold, except at the maximum, where it must be &gt; so that 0% is
    /// reached. Duplicate thresholds (tied scores) give duplicate points, where RouteLLM's <c>qcut</c> would refuse.
    /// </summary>
    /// <param name="scores">The router's P(strong wins) for each prompt.</param>
    /// <param name="prompts">The prompts with both models' quality, aligned with <paramref name="scores"/>.</param>
    /// <returns>11 points in ascending strong share: the first routes everything to the weak model, the last everything to the strong one.</returns>
    /// <exception cref="ArgumentException">Counts differ, no prompts, a NaN score, or both models have the same mean quality (PGR undefined).</exception>
    public static IReadOnlyList<RoutingPoint> Curve(IReadOnlyList<float> scores, IReadOnlyList<BenchmarkPrompt> prompts)
    {
        CheckAligned(scores, prompts);
        return new SortedOutcomes(scores, prompts).Curve();
    }

    /// <summary>
    /// The oracle's curve: given a budget of a share s of strong calls, a router that knows both qualities sends to the
    /// strong model the prompts where it does best relative to the weak one (largest positive strong − weak gain
    /// first), never one where it is not better, and at most s·n prompts; a fractional last call counts its share of
    /// that prompt's gain. Points at s = 0, 0.1, …, 1 (the budget, which the oracle may leave unspent); its PGR may
    /// exceed 1. On 0/1 benchmarks this is RouteLLM's <c>get_optimal_accuracy</c> exactly; RouteLLM's MT-Bench
    /// version rounds the budget down to whole prompts instead.
    /// </summary>
    /// <param name="prompts">The prompts with both models' quality.</param>
    /// <exception cref="ArgumentException">No prompts, or both models have the same mean quality.</exception>
    public static IReadOnlyList<RoutingPoint> Oracle(IReadOnlyList<BenchmarkPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
        {
            throw new ArgumentException("An evaluation needs at least one prompt.", nameof(prompts));
        }

        var count = prompts.Count;
        var weakSum = prompts.Sum(p => p.WeakQuality);
        var strong = prompts.Sum(p => p.StrongQuality) / count;
        var weak = weakSum / count;
        EnsureQualityGap(strong, weak);

        var gains = prompts.Select(p => p.StrongQuality - p.WeakQuality).Where(g => g > 0).OrderDescending().ToArray();
        var points = new RoutingPoint[QuantileSteps + 1];
        for (var k = 0; k <= QuantileSteps; k++)
        {
            var share = k / (double)QuantileSteps;
            var budget = share * count;
            var recovered = 0.0;
            for (var i = 0; i < gains.Length && i < budget; i++)
            {
                recovered += gains[i] * Math.Min(1, budget - i);
            }

            var quality = (weakSum + recovered) / count;
            points[k] = new RoutingPoint(null, share, quality, (quality - weak) / (strong - weak));
        }

        return points;
    }

    /// <summary>
    /// The random router's curve, averaged point by point over <paramref name="seeds"/> seeds (0, 1, …) of
    /// <see cref="RandomRouterModel"/>, as RouteLLM averages <c>--random-iters</c> runs; thresholds are null. Its APGR
    /// (<see cref="Apgr"/>) is RouteLLM's random baseline and tends to 0.5 as prompts grow.
    /// </summary>
    /// <param name="prompts">The prompts with both models' quality.</param>
    /// <param name="seeds">How many seeds to average.</param>
    public static IReadOnlyList<RoutingPoint> RandomRouterCurve(IReadOnlyList<BenchmarkPrompt> prompts, int seeds = DefaultRandomSeeds)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        var sums = new (double Share, double Quality, double Pgr)[QuantileSteps + 1];
        for (var seed = 0; seed < seeds; seed++)
        {
            var scores = prompts.Select(p => RandomRouterModel.Draw(seed, p.Prompt)).ToArray();
            var curve = Curve(scores, prompts);
            for (var k = 0; k < sums.Length; k++)
            {
                sums[k] = (sums[k].Share + curve[k].StrongShare, sums[k].Quality + curve[k].Quality, sums[k].Pgr + curve[k].Pgr);
            }
        }

        return [.. sums.Select(s => new RoutingPoint(null, s.Share / seeds, s.Quality / seeds, s.Pgr / seeds))];
    }

    /// <summary>
    /// Average performance gap recovered: the area under PGR over the strong share by the trapezoid rule, divided by
    /// the share's span (1 for every curve built here) — RouteLLM's (AUC − weak AUC) / (strong AUC − weak AUC).
    /// </summary>
    /// <param name="curve">Points in ascending strong share, spanning a non-empty range.</param>
    public static double Apgr(IReadOnlyList<RoutingPoint> curve)
    {
        CheckAscending(curve);
        var span = curve[^1].StrongShare - curve[0].StrongShare;
        if (span <= 0)
        {
            throw new ArgumentException("APGR needs points at two different strong shares.", nameof(curve));
        }

        var area = 0.0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].StrongShare - curve[i - 1].StrongShare) * (curve[i].Pgr + curve[i - 1].Pgr) / 2;
        }

        return area / span;
    }

    /// <summary>
    /// CPT(x): the strong share at the first point where PGR ≥ <paramref name="pgr"/>, interpolated linearly from the
    /// point before it; null when the curve never gets there (a router curve always does for x ≤ 1, where its
    /// all-strong end has PGR 1). RouteLLM's <c>np.interp</c> over quality agrees wherever quality rises with the
    /// share; on a curve that dips, this takes the first crossing, where <c>np.interp</c> is undefined.
    /// </summary>
    /// <param name="curve">Points in ascending strong share.</param>
    /// <param name="pgr">The PGR to reach, e.g. 0.5 for CPT(50%).</param>
    public static double? CallPerformanceThreshold(IReadOnlyList<RoutingPoint> curve, double pgr)
    {
        CheckAscending(curve);
        if (curve[0].Pgr >= pgr)
        {
            return curve[0].StrongShare;
        }

        for (var i = 1; i < curve.Count; i++)
        {
            if (curve[i].Pgr >= pgr)
            {
                var (before, at) = (curve[i - 1], curve[i]);
                return before.StrongShare + (pgr - before.Pgr) / (at.Pgr - before.Pgr) * (at.StrongShare - before.StrongShare);
            }
        }

        return null;
    }

    internal static void EnsureQualityGap(double strong, double weak)
    {
        if (strong == weak)
        {
            throw new ArgumentException(
                $"PGR is undefined: the strong and weak models have the same mean quality ({strong:R}) on these prompts.");
        }
    }

    internal static void CheckAligned(IReadOnlyList<float> scores, IReadOnlyList<BenchmarkPrompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(prompts);
        if (scores.Count != prompts.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {prompts.Count} prompts.", nameof(scores));
        }

        if (prompts.Count == 0)
        {
            throw new ArgumentException("An evaluation needs at least one prompt.", nameof(prompts));
        }
    }

    private static void CheckAscending(IReadOnlyList<RoutingPoint> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count < 2)
        {
            throw new ArgumentException("A curve needs at least two points.", nameof(curve));
        }

        for (var i = 1; i < curve.Count; i++)
        {
            if (curve[i].StrongShare < curve[i - 1].StrongShare)
            {
                throw new ArgumentException($"Curve points must come in ascending strong share (point {i} goes back).", nameof(curve));
            }
        }
    }
}
