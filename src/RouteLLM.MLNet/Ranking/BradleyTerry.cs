using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Ranking;

/// <summary>
/// Elo ratings from pairwise battles by weighted Bradley-Terry maximum likelihood, as RouteLLM's
/// <c>compute_elo_mle_with_tie</c> computes them: P(A beats B) = 1 / (1 + 10^((R_B − R_A) / 400)), every battle
/// counted twice, a tie as one win for each side.
/// </summary>
/// <remarks>
/// Ratings are <c>400 · β + 1000</c> with the coefficients β summing to zero (mean rating 1000), unless the model
/// <see cref="AnchorModel"/> is rated, in which case all ratings are shifted to put it at <see cref="AnchorRating"/>,
/// as RouteLLM does. How an unbounded fit (a model that never loses) is handled: a ridge of relative strength 1e-12,
/// which leaves bounded ratings unchanged to about 1e-9 Elo and caps unbounded ones near 4,800 Elo above their opponents.
/// </remarks>
public static class BradleyTerry
{
    /// <summary>Elo points for a factor of 10 in the odds of winning.</summary>
    public const double Scale = 400;

    /// <summary>The mean rating when no anchor model is rated.</summary>
    public const double InitialRating = 1000;

    /// <summary>RouteLLM pins this model's rating to <see cref="AnchorRating"/> when it is among the rated models.</summary>
    public const string AnchorModel = "llama-2-70b-chat";

    /// <summary>The anchor model's rating.</summary>
    public const double AnchorRating = 1082;

    /// <summary>Rates every model of <paramref name="battles"/>, each battle weighted by <see cref="Battle.Weight"/>.</summary>
    /// <param name="battles">The battles.</param>
    /// <returns>One rating per model, highest first (equal ratings in ordinal name order).</returns>
    /// <exception cref="ArgumentException">A weight is negative or not finite.</exception>
    public static IReadOnlyList<ModelRating> Fit(IEnumerable<Battle> battles)
    {
        ArgumentNullException.ThrowIfNull(battles);
        var list = battles as IReadOnlyList<Battle> ?? [.. battles];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var models = new List<string>();
        int IndexOf(string model)
        {
            if (!index.TryGetValue(model, out var i))
            {
                i = models.Count;
                index.Add(model, i);
                models.Add(model);
            }

            return i;
        }

        var indices = list.Select(b => (A: IndexOf(b.ModelA), B: IndexOf(b.ModelB))).ToArray();
        var wins = new PairwiseWins(models.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var weight = list[i].Weight;
            if (!float.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException($"Battle {i} has weight {weight}; weights must be finite and ≥ 0.", nameof(battles));
            }

            wins.AddBattle(indices[i].A, indices[i].B, list[i].Outcome, weight);
        }

        return Rate(models, wins);
    }

    /// <summary>P(a model rated <paramref name="rating"/> beats one rated <paramref name="opponentRating"/>).</summary>
    /// <param name="rating">The model's Elo rating.</param>
    /// <param name="opponentRating">Its opponent's Elo rating.</param>
    public static double WinProbability(double rating, double opponentRating) =>
        1 / (1 + Math.Pow(10, (opponentRating - rating) / Scale));

    /// <summary>Ratings of <paramref name="models"/> (player i of <paramref name="wins"/> is models[i]), highest first.</summary>
    internal static IReadOnlyList<ModelRating> Rate(IReadOnlyList<string> models, PairwiseWins wins)
    {
        var beta = BradleyTerrySolver.Solve(wins);
        var ratings = beta.Select(b => Scale * b + InitialRating).ToArray();
        for (var anchor = 0; anchor < models.Count; anchor++)
        {
            if (models[anchor] == AnchorModel)
            {
                var shift = AnchorRating - ratings[anchor];
                for (var i = 0; i < ratings.Length; i++) ratings[i] += shift;
            }
        }

        return [.. models.Select((m, i) => new ModelRating(m, ratings[i]))
            .OrderByDescending(r => r.Rating)
            .ThenBy(r => r.Model, StringComparer.Ordinal)];
    }
}
