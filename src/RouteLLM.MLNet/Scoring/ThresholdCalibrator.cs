namespace RouteLLM.MLNet.Scoring;

/// <summary>
/// RouteLLM's calibration rule: the threshold that sends a target share of prompts to the strong model is the
/// (1 − share) quantile of the router's scores on prompts like the traffic to expect.
/// </summary>
public static class ThresholdCalibrator
{
    /// <summary>The threshold at which about <paramref name="strongShare"/> of <paramref name="scores"/> are ≥ it.</summary>
    /// <param name="scores">Router scores (P(strong wins)) on representative prompts.</param>
    /// <param name="strongShare">Target share of strong-model calls, in [0, 1].</param>
    public static float ForStrongShare(IReadOnlyList<float> scores, double strongShare)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentOutOfRangeException.ThrowIfLessThan(strongShare, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strongShare, 1);
        if (scores.Count == 0)
        {
            throw new ArgumentException("Calibration needs at least one score.", nameof(scores));
        }

        return (float)Quantile(scores, 1 - strongShare);
    }

    /// <summary>
    /// The <paramref name="q"/>-quantile of <paramref name="values"/> with linear interpolation between order statistics
    /// (numpy's default, which RouteLLM uses).
    /// </summary>
    /// <param name="values">The sample.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    public static double Quantile(IReadOnlyList<float> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (values.Count == 0)
        {
            throw new ArgumentException("The quantile of an empty sample is undefined.", nameof(values));
        }

        var sorted = values.Select(v => (double)v).Order().ToArray();
        return QuantileOfSorted(sorted, q);
    }

    /// <summary><see cref="Quantile"/> of a sample already sorted ascending, in numpy's exact arithmetic.</summary>
    /// <param name="sorted">The sample, ascending; not empty.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    internal static double QuantileOfSorted(ReadOnlySpan<double> sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var t = position - lower;
        var difference = sorted[upper] - sorted[lower];

        // numpy's _lerp interpolates from the nearer end, which decides ties at a threshold the same way numpy does.
        return t >= 0.5 ? sorted[upper] - difference * (1 - t) : sorted[lower] + difference * t;
    }
}
