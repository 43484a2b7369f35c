namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// How well a router's scores rank held-out prompts whose strong-minus-weak quality gain is known: from gold labels
/// (+1 strong right and weak wrong, −1 the reverse, 0 otherwise) or from battles between the two models (the mean of
/// +1 strong won, −1 weak won, 0 tie).
/// </summary>
internal static class HeldOutRoutingMetrics
{
    /// <summary>
    /// Average performance gap recovered over every strong-call share: prompts are sent to the strong model in
    /// decreasing score order, PGR(share) = gain of the prompts sent / total gain, and the area under PGR over
    /// share ∈ [0, 1] is taken exactly (the continuous form of RouteLLM's 11-threshold APGR). Prompts with equal
    /// scores are routed together, as a threshold routes them, so the curve is linear across a tie.
    /// </summary>
    /// <exception cref="ArgumentException">The total gain is not positive, so PGR is undefined.</exception>
    public static double ContinuousApgr(ReadOnlySpan<float> scores, ReadOnlySpan<double> gains)
    {
        CheckLengths(scores, gains);
        var total = 0.0;
        foreach (var gain in gains) total += gain;
        if (!(total > 0))
        {
            throw new ArgumentException($"The held-out prompts' total strong-minus-weak gain is {total}; PGR needs a positive gap.");
        }

        var order = DescendingOrder(scores);
        double area = 0, cumulative = 0;
        var n = scores.Length;
        for (var start = 0; start < n;)
        {
            var end = start;
            var groupGain = 0.0;
            while (end < n && scores[order[end]] == scores[order[start]])
            {
                groupGain += gains[order[end]];
                end++;
            }

            // Trapezoid over the group: PGR goes linearly from cumulative/total to (cumulative + group)/total.
            area += (end - start) / (double)n * (2 * cumulative + groupGain) / (2 * total);
            cumulative += groupGain;
            start = end;
        }

        return area;
    }

    /// <summary>
    /// Probability that a prompt the strong model wins scores above one the weak model wins (ties count half);
    /// NaN when either kind is absent.
    /// </summary>
    public static double Auc(ReadOnlySpan<float> scores, ReadOnlySpan<double> gains)
    {
        CheckLengths(scores, gains);
        var order = DescendingOrder(scores);
        double positivesAbove = 0, positives = 0, negatives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            double groupPositives = 0, groupNegatives = 0;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                var gain = gains[order[end]];
                if (gain > 0) groupPositives++;
                else if (gain < 0) groupNegatives++;
                end++;
            }

            positivesAbove += groupNegatives * (positives + groupPositives / 2);
            positives += groupPositives;
            negatives += groupNegatives;
            start = end;
        }

        var pairs = positives * negatives;
        return pairs == 0 ? double.NaN : positivesAbove / pairs;
    }

    /// <summary>Mean binary cross-entropy of P(strong wins) on the prompts one model won (gain ≠ 0); NaN when there are none.</summary>
    public static double LogLoss(ReadOnlySpan<float> scores, ReadOnlySpan<double> gains)
    {
        CheckLengths(scores, gains);
        double sum = 0;
        var count = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (gains[i] == 0)
            {
                continue;
            }

            var p = Math.Clamp(scores[i], 1e-7, 1 - 1e-7);
            sum -= gains[i] > 0 ? Math.Log(p) : Math.Log(1 - p);
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private static int[] DescendingOrder(ReadOnlySpan<float> scores)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        foreach (var key in keys)
        {
            if (float.IsNaN(key)) throw new ArgumentException("A router score is NaN.");
        }

        Array.Sort(keys, order, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        return order;
    }

    private static void CheckLengths(ReadOnlySpan<float> scores, ReadOnlySpan<double> gains)
    {
        if (scores.Length != gains.Length || scores.Length == 0)
        {
            throw new ArgumentException($"Expected as many scores as gains, at least one ({scores.Length} scores, {gains.Length} gains).");
        }
    }
}
