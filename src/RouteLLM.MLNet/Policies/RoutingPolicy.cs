namespace RouteLLM.MLNet.Policies;

/// <summary>
/// How to pick one of N models for a prompt from each model's predicted quality and cost. Policies are immutable and
/// thread-safe; <see cref="Decide"/> is the one call that returns a decision.
/// </summary>
public abstract class RoutingPolicy
{
    /// <summary>
    /// Decides for prompt <paramref name="prompt"/> of <paramref name="predictions"/>: the chosen model, then every other
    /// allowed model in the policy's order (the order to fail over in).
    /// </summary>
    /// <param name="predictions">Predicted quality and cost of the routable models.</param>
    /// <param name="prompt">The row.</param>
    /// <param name="allowed">One flag per model (from <see cref="PricedPredictions.Allow"/>), or empty for every model.</param>
    /// <exception cref="ArgumentException">No model is allowed.</exception>
    public ModelDecision Decide(PricedPredictions predictions, int prompt, ReadOnlySpan<bool> allowed = default)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfNegative(prompt);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(prompt, predictions.PromptCount);
        var quality = predictions.QualityRow(prompt);
        var cost = predictions.CostRow(prompt);
        allowed = CheckAllowed(allowed, quality.Length);
        Span<double> key = stackalloc double[quality.Length];
        Key(quality, cost, allowed, key);
        Span<int> order = stackalloc int[quality.Length];
        var count = Rank(quality, cost, allowed, key, order);
        var ranking = new string[count];
        for (var i = 0; i < count; i++)
        {
            ranking[i] = predictions.Models[order[i]];
        }

        var chosen = order[0];
        return new ModelDecision(ranking[0], quality[chosen], cost[chosen], MaxOf(cost, allowed), ranking);
    }

    /// <summary>The index of the model chosen among the allowed ones (the first of the ranking), without allocating.</summary>
    /// <param name="quality">Predicted quality of each model.</param>
    /// <param name="cost">Estimated cost of each model in USD.</param>
    /// <param name="allowed">One flag per model, or empty for every model.</param>
    public int Choose(ReadOnlySpan<float> quality, ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed = default)
    {
        allowed = CheckAllowed(allowed, quality.Length, cost.Length);
        Span<double> key = stackalloc double[quality.Length];
        Key(quality, cost, allowed, key);
        var best = -1;
        for (var i = 0; i < key.Length; i++)
        {
            if (allowed[i] && (best < 0 || Precedes(i, best, key, quality, cost)))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Writes each model's key: the policy prefers a higher key; equal keys go to the cheaper model, then the better one,
    /// then the first.
    /// </summary>
    /// <param name="quality">Predicted quality of each model.</param>
    /// <param name="cost">Estimated cost of each model in USD.</param>
    /// <param name="allowed">One flag per model; at least one is set. Keys of models not allowed are ignored.</param>
    /// <param name="key">One slot per model.</param>
    protected abstract void Key(ReadOnlySpan<float> quality, ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed, Span<double> key);

    private static int Rank(ReadOnlySpan<float> quality, ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed, ReadOnlySpan<double> key, Span<int> order)
    {
        var count = 0;
        for (var i = 0; i < allowed.Length; i++)
        {
            if (!allowed[i])
            {
                continue;
            }

            // Insertion sort: N is tens of models, and spans cannot be captured by a comparison delegate.
            var at = count++;
            while (at > 0 && Precedes(i, order[at - 1], key, quality, cost))
            {
                order[at] = order[at - 1];
                at--;
            }

            order[at] = i;
        }

        return count;
    }

    private static bool Precedes(int a, int b, ReadOnlySpan<double> key, ReadOnlySpan<float> quality, ReadOnlySpan<double> cost) =>
        key[a] != key[b] ? key[a] > key[b]
        : cost[a] != cost[b] ? cost[a] < cost[b]
        : quality[a] != quality[b] ? quality[a] > quality[b]
        : a < b;

    private static ReadOnlySpan<bool> CheckAllowed(ReadOnlySpan<bool> allowed, int models, int costs = -1)
    {
        if (costs >= 0 && costs != models)
        {
            throw new ArgumentException($"{models} qualities but {costs} costs.", nameof(costs));
        }

        if (allowed.IsEmpty)
        {
            return AllTrue(models);
        }

        if (allowed.Length != models)
        {
            throw new ArgumentException($"{allowed.Length} allowed flags for {models} models.", nameof(allowed));
        }

        return allowed.Contains(true) ? allowed : throw new ArgumentException("No model is allowed.", nameof(allowed));
    }

    private static bool[] AllTrue(int count)
    {
        var all = new bool[count];
        Array.Fill(all, true);
        return count > 0 ? all : throw new ArgumentException("There are no models to route among.");
    }

    private static double MaxOf(ReadOnlySpan<double> cost, ReadOnlySpan<bool> allowed)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < cost.Length; i++)
        {
            max = allowed[i] ? Math.Max(max, cost[i]) : max;
        }

        return max;
    }
}
