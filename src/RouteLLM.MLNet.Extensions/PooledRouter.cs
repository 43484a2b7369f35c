using System.Collections.Concurrent;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// One loaded version of a named router: its scorer and, when calibration prompts are configured, their scores.
/// Immutable and shared by every request that started while it was current; a reload replaces it as a whole.
/// </summary>
public sealed class PooledRouter
{
    // Thresholds computed for the shares asked for; bounded, because shares come from request model names.
    private const int MaxCachedShares = 256;

    private readonly float[]? _calibrationScores;
    private readonly ConcurrentDictionary<double, float> _shareThresholds = new();

    internal PooledRouter(string name, int version, string path, RouterScorer scorer, float[]? calibrationScores, DateTimeOffset loadedAt)
    {
        Name = name;
        Version = version;
        Path = path;
        Scorer = scorer;
        _calibrationScores = calibrationScores;
        LoadedAt = loadedAt;
    }

    /// <summary>The router's name in its pool.</summary>
    public string Name { get; }

    /// <summary>1 for the version loaded at start, then one more for each successful reload.</summary>
    public int Version { get; }

    /// <summary>The zip this version was loaded from (full path).</summary>
    public string Path { get; }

    /// <summary>The scorer: the router and, when it reads embeddings, its embedder.</summary>
    public RouterScorer Scorer { get; }

    /// <summary>When this version was loaded.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>Number of calibration prompts scored by this version; 0 when none are configured.</summary>
    public int CalibrationPromptCount => _calibrationScores?.Length ?? 0;

    /// <summary>The threshold in force for <paramref name="threshold"/>: its value, or the calibrated threshold for its share.</summary>
    /// <param name="threshold">A fixed threshold or a target strong share.</param>
    /// <exception cref="InvalidOperationException">A share was asked for and this router has no calibration prompts.</exception>
    public float ResolveThreshold(RoutingThreshold threshold)
    {
        if (!threshold.IsStrongShare)
        {
            return (float)threshold.Value;
        }

        if (_calibrationScores is not { } scores)
        {
            throw new InvalidOperationException(
                $"Router '{Name}' has no calibration prompts, so it cannot route to a share of strong calls; configure CalibrationPrompts or use a fixed threshold.");
        }

        if (_shareThresholds.TryGetValue(threshold.Value, out var cached))
        {
            return cached;
        }

        var computed = ThresholdCalibrator.ForStrongShare(scores, threshold.Value);
        if (_shareThresholds.Count < MaxCachedShares)
        {
            _shareThresholds.TryAdd(threshold.Value, computed);
        }

        return computed;
    }

    /// <summary>Scores <paramref name="text"/> and compares it with the threshold in force.</summary>
    /// <param name="text">The text to route (a prompt, or a whole conversation).</param>
    /// <param name="threshold">A fixed threshold or a target strong share.</param>
    /// <param name="cancellationToken">Cancels the embedding call, if the router reads embeddings.</param>
    /// <exception cref="InvalidOperationException">A share was asked for and this router has no calibration prompts.</exception>
    public async ValueTask<RoutingDecision> RouteAsync(string text, RoutingThreshold threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var resolved = ResolveThreshold(threshold);
        var rate = await Scorer.StrongWinRateAsync(text, cancellationToken).ConfigureAwait(false);
        return new RoutingDecision(this, rate, resolved);
    }
}
