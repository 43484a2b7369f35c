using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Tests.Ranking;

public sealed class TiersTests
{
    private static ModelRating[] Ratings(params double[] values) => [.. values.Select((v, i) => new ModelRating($"m{i}", v))];

    [Fact]
    public void Planted_rating_clusters_become_the_tiers_strongest_first()
    {
        var ratings = Ratings(1005, 1500, 2010, 990, 1990, 1510, 2000, 1000, 995);

        var tiers = Tiers.Compute(ratings, 3);

        Assert.Equal(0, tiers["m2"]);
        Assert.Equal(0, tiers["m4"]);
        Assert.Equal(0, tiers["m6"]);
        Assert.Equal(1, tiers["m1"]);
        Assert.Equal(1, tiers["m5"]);
        Assert.All((string[])["m0", "m3", "m7", "m8"], m => Assert.Equal(2, tiers[m]));
    }

    [Fact]
    public void One_tier_per_model_and_a_single_tier_are_the_extremes()
    {
        var ratings = Ratings(3, 1, 2);
        Assert.Equal(new Dictionary<string, int> { ["m0"] = 0, ["m2"] = 1, ["m1"] = 2 }, Tiers.Compute(ratings, 3));
        Assert.All(Tiers.Compute(ratings, 1).Values, t => Assert.Equal(0, t));
    }

    [Fact]
    public void The_pairs_tiers_are_the_planted_clusters_of_each_member()
    {
        var ratings = Ratings(1005, 1500, 2010, 990, 1990, 1510, 2000, 1000, 995);

        var pair = Tiers.OfPair(ratings, 3, "m4", "m7");

        Assert.Equal(["m2", "m4", "m6"], pair.First);
        Assert.Equal(["m0", "m3", "m7", "m8"], pair.Second);
        Assert.True(pair.Spans("m8", "m6"));
        Assert.False(pair.Spans("m1", "m6"));
    }

    [Fact]
    public void More_tiers_than_models_are_capped_and_a_shared_tier_or_an_unrated_model_is_an_error()
    {
        var ratings = Ratings(3, 1, 2);

        var capped = Tiers.OfPair(ratings, 10, "m0", "m1");

        Assert.Equal(["m0"], capped.First);
        Assert.Equal(["m1"], capped.Second);
        Assert.Contains("share a tier of 1", Assert.Throws<ArgumentException>(() => Tiers.OfPair(ratings, 1, "m0", "m1")).Message);
        Assert.Contains("'m9' has no rating", Assert.Throws<ArgumentException>(() => Tiers.OfPair(ratings, 3, "m0", "m9")).Message);
    }

    [Fact]
    public void Dynamic_programme_matches_brute_force_over_RouteLLMs_groupings()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(1, 9);
            var tiers = random.Next(1, n + 1);
            // Rounded values make equal-cost groupings common, which exercises the tie-breaking.
            var values = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 4) * 100).OrderDescending().ToArray();

            var assignment = Tiers.Assign(values, tiers);

            var groups = Groups(assignment);
            Assert.True(Feasible(groups, tiers), $"trial {trial}: grouping {string.Join("|", groups)} is not one RouteLLM can form");
            var best = Compositions(n).Where(g => Feasible(g, tiers)).Min(g => Cost(values, g));
            Assert.Equal(best, Cost(values, groups), 1e-9);
        }
    }

    [Fact]
    public void Top_model_alone_with_empty_tiers_is_numbered_without_gaps()
    {
        // RouteLLM's table puts 100 alone in tier 0, leaves tier 1 empty and puts the rest in tier 2 (cost 0, found first).
        var tiers = Tiers.Compute(Ratings(100, 0, 0, 0), 3);

        Assert.Equal(0, tiers["m0"]);
        Assert.All((string[])["m1", "m2", "m3"], m => Assert.Equal(1, tiers[m]));
    }

    [Fact]
    public void Equal_cost_groupings_resolve_as_RouteLLMs_compute_tiers()
    {
        // {400,300,300}{200}{0} and {400}{300,300,200}{0} both cost 2222.2; NumPy's rounding makes RouteLLM's
        // compute_tiers (run on these values) pick the second.
        var tiers = Tiers.Compute(Ratings(400, 300, 300, 200, 0), 3);

        Assert.Equal([0, 1, 1, 1, 2], Enumerable.Range(0, 5).Select(i => tiers[$"m{i}"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Tier_count_outside_one_to_the_number_of_models_is_refused(int count)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tiers.Compute(Ratings(1, 2, 3), count));
        Assert.Contains($"Cannot make {count} tiers of 3 models", error.Message);
    }

    [Fact]
    public void Duplicate_or_non_finite_ratings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Tiers.Compute([new ModelRating("a", 1), new ModelRating("a", 2)], 1));
        Assert.Throws<ArgumentException>(() => Tiers.Compute([new ModelRating("a", double.NaN)], 1));
    }

    private static List<int> Groups(int[] assignment) =>
        [.. assignment.GroupBy(t => t).OrderBy(g => g.Key).Select(g => g.Count())];

    // RouteLLM's recursion forms exactly `tiers` groups, or fewer when the first group is the top model alone.
    private static bool Feasible(List<int> sizes, int tiers) =>
        sizes.Count == tiers || (sizes.Count < tiers && sizes[0] == 1);

    private static IEnumerable<List<int>> Compositions(int n)
    {
        for (var mask = 0; mask < 1 << (n - 1); mask++)
        {
            var sizes = new List<int>();
            var size = 1;
            for (var i = 0; i < n - 1; i++)
            {
                if ((mask >> i & 1) == 1)
                {
                    sizes.Add(size);
                    size = 0;
                }

                size++;
            }

            sizes.Add(size);
            yield return sizes;
        }
    }

    private static double Cost(double[] values, List<int> sizes)
    {
        var cost = 0.0;
        var start = 0;
        foreach (var size in sizes)
        {
            var group = values.AsSpan(start, size).ToArray();
            var mean = group.Average();
            cost += group.Sum(v => (v - mean) * (v - mean)) / size;
            start += size;
        }

        return cost;
    }
}
