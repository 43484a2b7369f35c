namespace RouteLLM.MLNet.Policies;

/// <summary>
/// Quality floor: the cheapest allowed model whose predicted quality is within <see cref="Tolerance"/> of the best
/// allowed model's. Tolerance 0 takes the best model (the cheapest of equals); tolerance 1 the cheapest model.
/// </summary>
public sealed class QualityFloorPolicy : RoutingPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="tolerance">How much predicted quality may be given up, in [0, 1].</param>
    public QualityFloorPolicy(double tolerance)
    {
        if (double.IsNaN(tolerance) || tolerance is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be in [0, 1].");
        }

        Tolerance = tolerance;
    }

    /// <summary>How much predicted quality may be given up.</summary>
    public double Tolerance { get; }

    /// <inheritdoc/>
    protected override void Key(ReadOnlySpan<float> quality, ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed, Span<double> key)
    {
        var best = float.NegativeInfinity;
        for (var i = 0; i < quality.Length; i++)
        {
            best = allowed[i] ? Math.Max(best, quality[i]) : best;
        }

        for (var i = 0; i < key.Length; i++)
        {
            // Every model above the floor gets the same key, so the tie rule (cheaper first) picks among them; the rest
            // follow by quality, below any model above the floor.
            key[i] = quality[i] >= best - Tolerance ? 1 : quality[i] - 2;
        }
    }
}
