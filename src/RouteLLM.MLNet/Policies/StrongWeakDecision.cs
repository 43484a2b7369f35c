namespace RouteLLM.MLNet.Policies;

/// <summary>A strong/weak routing decision: RouteLLM's <c>route()</c> for one prompt.</summary>
/// <param name="Model">The model the prompt goes to.</param>
/// <param name="RoutesToStrong">Whether that is the strong model.</param>
/// <param name="StrongWinRate">The router's P(strong model wins) for the prompt.</param>
/// <param name="Threshold">The threshold it was compared against.</param>
public readonly record struct StrongWeakDecision(string Model, bool RoutesToStrong, float StrongWinRate, float Threshold);
