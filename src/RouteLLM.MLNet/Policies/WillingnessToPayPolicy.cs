namespace RouteLLM.MLNet.Policies;

/// <summary>
/// Willingness to pay (Martian's knob, RouterBench's sweep): the allowed model with the highest predicted quality −
/// λ × cost. λ = 0 takes the best predicted model whatever it costs; λ = ∞ the cheapest.
/// </summary>
public sealed class WillingnessToPayPolicy : RoutingPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="lambda">Quality given up per USD saved, ≥ 0 (may be <see cref="double.PositiveInfinity"/>).</param>
    public WillingnessToPayPolicy(double lambda)
    {
        if (double.IsNaN(lambda) || lambda < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be ≥ 0.");
        }

        Lambda = lambda;
    }

    /// <summary>Quality given up per USD saved.</summary>
    public double Lambda { get; }

    /// <inheritdoc/>
    protected override void Key(ReadOnlySpan<float> quality, ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed, Span<double> key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            // At λ = ∞ only the cost counts; ties then go to the better model.
            key[i] = double.IsPositiveInfinity(Lambda) ? -cost[i] : quality[i] - (Lambda * cost[i]);
        }
    }
}
