using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Evaluation;

public static partial class RoutingMetrics
{
    /// <summary>Bootstrap resamples drawn by default.</summary>
    public const int DefaultBootstrapResamples = 1000;

    /// <summary>
    /// 95% percentile-bootstrap confidence intervals for APGR and CPT(50%): <paramref name="resamples"/> times, draw
    /// n prompts with replacement (with their scores), recompute the thresholds, the curve and both metrics; the
    /// interval runs from the 2.5% to the 97.5% quantile of the results. A resample in which both models have the same
    /// mean quality has no PGR: it is drawn again, and more than <paramref name="resamples"/> such draws is an error.
    /// Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    /// <param name="scores">The router's P(strong wins) for each prompt.</param>
    /// <param name="prompts">The prompts with both models' quality, aligned with <paramref name="scores"/>.</param>
    /// <param name="resamples">Number of resamples (at least 2).</param>
    /// <param name="seed">Seed of the resampling.</param>
    public static BootstrapIntervals Bootstrap(
        IReadOnlyList<float> scores, IReadOnlyList<BenchmarkPrompt> prompts, int resamples = DefaultBootstrapResamples, int seed = 0)
    {
        CheckAligned(scores, prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);

        var count = prompts.Count;
        var resample = new SortedOutcomes(scores, prompts);
        var draws = new int[count];
        var random = new Random(seed);
        var apgr = new double[resamples];
        var cpt50 = new double[resamples];
        var tied = 0;
        for (var b = 0; b < resamples;)
        {
            Array.Clear(draws);
            for (var i = 0; i < count; i++)
            {
                draws[random.Next(count)]++;
            }

            resample.Load(draws);
            if (resample.StrongQuality == resample.WeakQuality)
            {
                if (++tied > resamples)
                {
                    throw new InvalidOperationException(
                        $"The strong and weak models tie in most bootstrap resamples of these {count} prompts: too few prompts tell them apart for a confidence interval.");
                }

                continue;
            }

            var curve = resample.Curve();
            apgr[b] = Apgr(curve);
            cpt50[b] = CallPerformanceThreshold(curve, 0.5)!.Value; // a router curve ends at PGR 1, so it gets there
            b++;
        }

        return new BootstrapIntervals(Interval95(apgr), Interval95(cpt50));
    }

    private static ConfidenceInterval Interval95(double[] values)
    {
        Array.Sort(values);
        return new ConfidenceInterval(ThresholdCalibrator.QuantileOfSorted(values, 0.025), ThresholdCalibrator.QuantileOfSorted(values, 0.975));
    }
}
