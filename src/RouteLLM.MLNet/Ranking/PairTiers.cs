namespace RouteLLM.MLNet.Ranking;

/// <summary>The models sharing each of two models' tier (see <see cref="Tiers.OfPair"/>), sorted ordinally.</summary>
/// <param name="First">The models of the first model's tier, itself included.</param>
/// <param name="Second">The models of the second model's tier, itself included.</param>
public sealed record PairTiers(IReadOnlyList<string> First, IReadOnlyList<string> Second)
{
    /// <summary>Whether a battle is between the two tiers: one side in each, in either order.</summary>
    /// <param name="modelA">Canonical name of one side.</param>
    /// <param name="modelB">Canonical name of the other side.</param>
    public bool Spans(string modelA, string modelB) =>
        First.Contains(modelA) && Second.Contains(modelB) || Second.Contains(modelA) && First.Contains(modelB);
}
