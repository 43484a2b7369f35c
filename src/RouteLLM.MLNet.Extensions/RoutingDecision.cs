using RouteLLM.MLNet.Policies;

namespace RouteLLM.MLNet.Extensions;

/// <summary>One routing decision: the router's score for the prompt and the threshold it was compared against.</summary>
/// <param name="Router">The router version that scored the prompt.</param>
/// <param name="StrongWinRate">P(strong model wins) for the prompt.</param>
/// <param name="Threshold">The threshold in force (calibrated from a share, or fixed).</param>
public readonly record struct RoutingDecision(PooledRouter Router, float StrongWinRate, float Threshold)
{
    /// <summary>Whether the prompt goes to the strong model (<see cref="StrongWinRate"/> ≥ <see cref="Threshold"/>).</summary>
    public bool RoutesToStrong => StrongWeakPolicy.RoutesToStrong(StrongWinRate, Threshold);
}
