using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Policies;

/// <summary>
/// RouteLLM's strong/weak rule, written once: a prompt goes to the strong model when the router's P(strong wins) is
/// ≥ the threshold. The threshold is fixed, or calibrated from a share with <see cref="ThresholdCalibrator"/>.
/// </summary>
public static class StrongWeakPolicy
{
    /// <summary>Whether a prompt with <paramref name="strongWinRate"/> goes to the strong model.</summary>
    /// <param name="strongWinRate">The router's P(strong wins).</param>
    /// <param name="threshold">The threshold.</param>
    public static bool RoutesToStrong(float strongWinRate, float threshold) => strongWinRate >= threshold;

    /// <summary>The decision for a prompt the router scored <paramref name="strongWinRate"/>.</summary>
    /// <param name="manifest">The router's manifest, naming the strong and weak models.</param>
    /// <param name="strongWinRate">The router's P(strong wins).</param>
    /// <param name="threshold">The threshold.</param>
    public static StrongWeakDecision Decide(RouterManifest manifest, float strongWinRate, float threshold)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var strong = RoutesToStrong(strongWinRate, threshold);
        return new StrongWeakDecision(strong ? manifest.StrongModel : manifest.WeakModel, strong, strongWinRate, threshold);
    }

    /// <summary>Scores <paramref name="prompt"/> and decides: RouteLLM's <c>route(prompt, threshold)</c>.</summary>
    /// <param name="scorer">The router.</param>
    /// <param name="prompt">The prompt.</param>
    /// <param name="threshold">The threshold.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    public static async Task<StrongWeakDecision> RouteAsync(RouterScorer scorer, string prompt, float threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        var rate = await scorer.StrongWinRateAsync(prompt, cancellationToken).ConfigureAwait(false);
        return Decide(scorer.Model.Manifest, rate, threshold);
    }

    /// <summary>The share of <paramref name="scores"/> that <paramref name="threshold"/> sends to the strong model.</summary>
    /// <param name="scores">Router scores.</param>
    /// <param name="threshold">The threshold.</param>
    public static double StrongShare(IReadOnlyList<float> scores, float threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Count == 0 ? 0 : scores.Count(s => RoutesToStrong(s, threshold)) / (double)scores.Count;
    }
}
