using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// Prompts in ascending order of router score with running sums of both models' quality, so that the quality of any
/// threshold is two look-ups: the weak model's quality on every prompt below it plus the strong model's on every
/// prompt at or above it. Bootstrap resamples are loaded into the same instance.
/// </summary>
internal sealed class SortedOutcomes
{
    // The quantile levels pandas' qcut(scores, 10) uses, bit for bit: numpy.linspace(0, 1, 11) is k * 0.1 with the
    // last level exactly 1, and pandas hands them to numpy.percentile as percentages (* 100), which divides by 100.
    // 0.1 * 6 * 100 / 100 is not 0.6: on a tie this decides which side of a threshold a score falls, as in RouteLLM.
    private static readonly double[] Levels = [.. Enumerable.Range(0, RoutingMetrics.QuantileSteps + 1)
        .Select(k => k == RoutingMetrics.QuantileSteps ? 1.0 : k * (1.0 / RoutingMetrics.QuantileSteps) * 100.0 / 100.0)];

    // Every prompt, in ascending score order.
    private readonly double[] _sortedScores;
    private readonly double[] _sortedStrong;
    private readonly double[] _sortedWeak;

    // The loaded sample: its scores, the weak quality summed below each position and the strong quality from it on.
    private readonly double[] _scores;
    private readonly double[] _weakBelow;
    private readonly double[] _strongFrom;

    /// <summary>Sorts <paramref name="prompts"/> by <paramref name="scores"/> and loads them all, once each.</summary>
    public SortedOutcomes(IReadOnlyList<float> scores, IReadOnlyList<BenchmarkPrompt> prompts)
    {
        for (var i = 0; i < scores.Count; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"The router's score for prompt {i} is NaN.", nameof(scores));
            }
        }

        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        _sortedScores = [.. order.Select(i => (double)scores[i])];
        _sortedStrong = [.. order.Select(i => prompts[i].StrongQuality)];
        _sortedWeak = [.. order.Select(i => prompts[i].WeakQuality)];
        _scores = new double[order.Length];
        _weakBelow = new double[order.Length + 1];
        _strongFrom = new double[order.Length + 1];
        Load(counts: null);
    }

    /// <summary>Number of prompts.</summary>
    public int Count => _sortedScores.Length;

    /// <summary>Mean quality of the strong model over the loaded sample.</summary>
    public double StrongQuality => _strongFrom[0] / Count;

    /// <summary>Mean quality of the weak model over the loaded sample.</summary>
    public double WeakQuality => _weakBelow[^1] / Count;

    /// <summary>
    /// Loads a sample of the prompts: the prompt at sorted position <c>j</c> repeated <c>counts[j]</c> times (a
    /// bootstrap resample, the counts adding up to <see cref="Count"/>), or every prompt once when null.
    /// </summary>
    public void Load(int[]? counts)
    {
        var position = 0;
        for (var j = 0; j < _sortedScores.Length; j++)
        {
            for (var repeat = counts?[j] ?? 1; repeat > 0; repeat--)
            {
                _scores[position] = _sortedScores[j];
                _weakBelow[position + 1] = _weakBelow[position] + _sortedWeak[j];
                _strongFrom[position] = _sortedStrong[j];
                position++;
            }
        }

        _strongFrom[position] = 0;
        for (var i = position - 1; i >= 0; i--)
        {
            _strongFrom[i] += _strongFrom[i + 1];
        }
    }

    /// <summary>
    /// RouteLLM's curve: thresholds at the 0%, 10%, …, 100% quantiles of the scores; a prompt goes to the strong model
    /// when its score is ≥ the threshold, except at the last (the maximum), where it must be &gt; so that no prompt
    /// does. Points come in ascending strong share, so the first is all-weak and the last all-strong.
    /// </summary>
    public RoutingPoint[] Curve()
    {
        var strong = StrongQuality;
        var weak = WeakQuality;
        RoutingMetrics.EnsureQualityGap(strong, weak);
        var count = Count;
        var points = new RoutingPoint[Levels.Length];
        for (var k = 0; k < Levels.Length; k++)
        {
            var threshold = ThresholdCalibrator.QuantileOfSorted(_scores, Levels[k]);
            var firstStrong = FirstStrong(threshold, strict: k == Levels.Length - 1);
            var quality = (_weakBelow[firstStrong] + _strongFrom[firstStrong]) / count;
            points[^(k + 1)] = new RoutingPoint(threshold, (count - firstStrong) / (double)count, quality, (quality - weak) / (strong - weak));
        }

        return points;
    }

    // The first sorted position routed to the strong model: score >= threshold, or > threshold when strict.
    private int FirstStrong(double threshold, bool strict)
    {
        int low = 0, high = _scores.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_scores[middle] < threshold || (strict && _scores[middle] == threshold)) low = middle + 1;
            else high = middle;
        }

        return low;
    }
}
