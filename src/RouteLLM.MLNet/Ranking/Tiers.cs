using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Ranking;

/// <summary>
/// Groups models into tiers of similar rating, as RouteLLM's <c>compute_tiers</c> does: models sorted by rating,
/// highest first, are cut into contiguous groups that minimise the sum of the groups' variances (population
/// variance, each group counted once whatever its size), by dynamic programming.
/// </summary>
/// <remarks>
/// Tier 0 holds the highest-rated models; tier numbers are consecutive. Because a group's variance is not weighted
/// by its size, one more cut does not always lower the sum, and RouteLLM's recursion lets the top model stand alone
/// while the tiers after it stay empty: then fewer tiers than asked for are filled. RouteLLM leaves those numbers
/// unused; here the filled tiers are numbered 0, 1, … without gaps, which names the same grouping.
/// </remarks>
public static class Tiers
{
    /// <summary>The tier of every rated model.</summary>
    /// <param name="ratings">Ratings of distinct models, e.g. from <see cref="BradleyTerry.Fit"/>.</param>
    /// <param name="tiers">Number of tiers, 1 … number of models.</param>
    /// <returns>Model → tier, 0 for the highest-rated tier.</returns>
    /// <exception cref="ArgumentException">A model is named twice or has a non-finite rating.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tiers"/> is below 1 or above the number of models.</exception>
    public static IReadOnlyDictionary<string, int> Compute(IReadOnlyList<ModelRating> ratings, int tiers)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        if (tiers < 1 || tiers > ratings.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(tiers), tiers,
                $"Cannot make {tiers} tiers of {ratings.Count} models: the number of tiers must be between 1 and the number of models.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rating in ratings)
        {
            if (!seen.Add(rating.Model))
            {
                throw new ArgumentException($"Model '{rating.Model}' is rated twice.", nameof(ratings));
            }

            if (!double.IsFinite(rating.Rating))
            {
                throw new ArgumentException($"Model '{rating.Model}' has rating {rating.Rating}.", nameof(ratings));
            }
        }

        var sorted = ratings.OrderByDescending(r => r.Rating).ThenBy(r => r.Model, StringComparer.Ordinal).ToArray();
        var assignment = Assign([.. sorted.Select(r => r.Rating)], tiers);
        return sorted.Select((r, i) => (r.Model, Tier: assignment[i]))
            .ToDictionary(p => p.Model, p => p.Tier, StringComparer.Ordinal);
    }

    /// <summary>
    /// The tiers of a routed pair, as RouteLLM labels BERT's and the tier-battle training data: the models rated into
    /// <paramref name="tiers"/> tiers (capped at the number of rated models), and the models of each pair member's tier.
    /// </summary>
    /// <param name="ratings">Ratings of distinct canonical model names, e.g. from <see cref="BradleyTerry.Fit"/>.</param>
    /// <param name="tiers">Number of tiers asked for, at least 1; more than the rated models means one model per tier.</param>
    /// <param name="first">One model of the pair (e.g. the strong model); aliases are resolved.</param>
    /// <param name="second">The other model of the pair.</param>
    /// <exception cref="ArgumentException">A model of the pair is not rated, or both share a tier (ask for more tiers).</exception>
    public static PairTiers OfPair(IReadOnlyList<ModelRating> ratings, int tiers, string first, string second)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentOutOfRangeException.ThrowIfLessThan(tiers, 1);
        var tierOf = Compute(ratings, Math.Min(tiers, ratings.Count));
        string[] TierOf(string model) => tierOf.TryGetValue(ModelAliases.Default.Canonical(model), out var tier)
            ? [.. tierOf.Where(t => t.Value == tier).Select(t => t.Key).Order(StringComparer.Ordinal)]
            : throw new ArgumentException($"Model '{model}' has no rating, so no tier: it does not occur in the battles.");
        var (firstTier, secondTier) = (TierOf(first), TierOf(second));
        return firstTier.Intersect(secondTier).Any()
            ? throw new ArgumentException($"'{first}' and '{second}' share a tier of {tiers}; ask for more tiers.")
            : new PairTiers(firstTier, secondTier);
    }

    /// <summary>The tier of each of <paramref name="descending"/>'s ratings (sorted highest first).</summary>
    internal static int[] Assign(ReadOnlySpan<double> descending, int tiers)
    {
        var n = descending.Length;
        var variance = Variances(descending);

        // cost[t][j]: least sum of variances cutting ratings 0..j into t + 1 groups. RouteLLM's table leaves
        // cost[t][0] = 0 for every t (one rating "in" t + 1 groups), which is what lets tiers stay empty.
        var cost = new double[tiers][];
        var cut = new int[tiers][];
        cost[0] = new double[n];
        cut[0] = new int[n];
        for (var j = 0; j < n; j++) cost[0][j] = variance[0][j];
        for (var t = 1; t < tiers; t++)
        {
            cost[t] = new double[n];
            cut[t] = new int[n];
            for (var j = 1; j < n; j++)
            {
                var best = double.PositiveInfinity;
                for (var l = 0; l < j; l++)
                {
                    // Strictly better only, as RouteLLM: the earliest cut wins a tie.
                    var candidate = cost[t - 1][l] + variance[l + 1][j];
                    if (candidate < best)
                    {
                        best = candidate;
                        cut[t][j] = l;
                    }
                }

                cost[t][j] = best;
            }
        }

        // Last index of each group, from the top tier's group down, as RouteLLM's backtracking finds them.
        var ends = new int[tiers];
        ends[tiers - 1] = n - 1;
        for (int t = tiers - 1, last = n - 1; t > 0; t--)
        {
            last = cut[t][last];
            ends[t - 1] = last;
        }

        var assignment = new int[n];
        var tier = 0;
        for (int group = 0, start = 0; group < tiers; group++)
        {
            if (ends[group] < start)
            {
                continue;
            }

            for (var i = start; i <= ends[group]; i++) assignment[i] = tier;
            start = ends[group] + 1;
            tier++;
        }

        return assignment;
    }

    /// <summary>
    /// Population variance of every contiguous run <c>[i..j]</c>, rounded as NumPy's <c>np.var</c> rounds (mean and
    /// squared deviations each summed pairwise), so that groupings of equal cost resolve as RouteLLM's do.
    /// </summary>
    private static double[][] Variances(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        var variance = new double[n][];
        var deviations = new double[n];
        for (var i = 0; i < n; i++)
        {
            variance[i] = new double[n];
            for (var j = i; j < n; j++)
            {
                var run = values[i..(j + 1)];
                var mean = PairwiseSum(run) / run.Length;
                for (var k = 0; k < run.Length; k++) deviations[k] = (run[k] - mean) * (run[k] - mean);
                variance[i][j] = PairwiseSum(deviations.AsSpan(0, run.Length)) / run.Length;
            }
        }

        return variance;
    }

    /// <summary>NumPy's pairwise summation of doubles (<c>pairwise_sum_DOUBLE</c>): 8 lanes per block of up to 128.</summary>
    private static double PairwiseSum(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            var sum = 0.0;
            foreach (var v in values) sum += v;
            return sum;
        }

        if (n <= 128)
        {
            Span<double> lanes = stackalloc double[8];
            values[..8].CopyTo(lanes);
            var i = 8;
            for (; i < n - n % 8; i += 8)
            {
                for (var k = 0; k < 8; k++) lanes[k] += values[i + k];
            }

            var sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
            for (; i < n; i++) sum += values[i];
            return sum;
        }

        var half = n / 2;
        half -= half % 8;
        return PairwiseSum(values[..half]) + PairwiseSum(values[half..]);
    }
}
