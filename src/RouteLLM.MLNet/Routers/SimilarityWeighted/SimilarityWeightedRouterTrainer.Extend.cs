using System.Globalization;
using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

public sealed partial class SimilarityWeightedRouterTrainer
{
    /// <summary>
    /// <paramref name="extended"/>, also knowing every model of <paramref name="kept"/>'s battles it did not know. The
    /// battles are refit by Bradley-Terry with the extended router's tiers as players (models of one tier are one
    /// player, as at query time) beside each new model, so new and known models are rated on the training data's own
    /// scale; a new model joins the tier rated nearest it among the tiers that battled in this data (the higher tier on
    /// a tie). Battles within one player say nothing about where a new model sits and are left out of the fit.
    /// </summary>
    private SimilarityWeightedRouterModel Extend(SimilarityWeightedRouterModel extended, TrainingSet trainingSet, KeptBattles kept)
    {
        var tiers = extended.TierCount;
        var tierOf = new Dictionary<string, int>(extended.ModelTiers, StringComparer.Ordinal);
        var added = kept.Battles.SelectMany(b => new[] { b.ModelA, b.ModelB }).Where(m => !tierOf.ContainsKey(m))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        int Player(string model) => tierOf.TryGetValue(model, out var tier) ? tier : tiers + Array.BinarySearch(added, model, StringComparer.Ordinal);

        var wins = new PairwiseWins(tiers + added.Length);
        var tiersInData = new bool[tiers];
        var meetsKnownModel = new bool[added.Length];
        foreach (var battle in kept.Battles)
        {
            var (a, b) = (Player(battle.ModelA), Player(battle.ModelB));
            if (a == b)
            {
                continue;
            }

            wins.AddBattle(a, b, battle.Outcome, battle.Weight);
            foreach (var (player, opponent) in new[] { (a, b), (b, a) })
            {
                if (player < tiers)
                {
                    tiersInData[player] = true;
                }
                else if (opponent < tiers)
                {
                    meetsKnownModel[player - tiers] = true;
                }
            }
        }

        var unplaced = added.Where((_, i) => !meetsKnownModel[i]).ToArray();
        if (unplaced.Length > 0)
        {
            throw new ArgumentException(
                $"{nameof(Options)}.{nameof(Options.Extend)}: {string.Join(", ", unplaced.Select(m => $"'{m}'"))} battle no model of another tier that the extended router knows, so the training data cannot place them among its tiers.");
        }

        var beta = added.Length > 0 ? BradleyTerrySolver.Solve(wins) : [];
        var metrics = new Dictionary<string, double>
        {
            ["battles"] = kept.Battles.Count,
            ["battles_dropped_short_prompt"] = kept.Dropped,
            ["prompts"] = kept.Prompts.Count,
            ["models"] = tierOf.Count + added.Length,
            ["models_added"] = added.Length,
            ["tiers"] = tiers,
        };
        for (var i = 0; i < added.Length; i++)
        {
            var rating = beta[tiers + i];
            var nearest = Enumerable.Range(0, tiers).Where(t => tiersInData[t]).MinBy(t => Math.Abs(beta[t] - rating));
            tierOf[added[i]] = nearest;
            metrics[string.Create(CultureInfo.InvariantCulture, $"added.{added[i]}.tier")] = nearest;
        }

        var manifest = CreateManifest(trainingSet, metrics, requirePairInData: false);
        manifest = manifest with
        {
            Models = [.. tierOf.Keys.Order(StringComparer.Ordinal)],
            // The extended router's tiers and weighting are what route, not this trainer's unused options.
            TrainingOptions = new SortedDictionary<string, string>(manifest.TrainingOptions.ToDictionary(), StringComparer.Ordinal)
            {
                [nameof(Options.Tiers)] = tiers.ToString(CultureInfo.InvariantCulture),
                [nameof(Options.SimilarityBase)] = extended.SimilarityBase.ToString(CultureInfo.InvariantCulture),
            },
        };
        foreach (var model in new[] { manifest.StrongModel, manifest.WeakModel })
        {
            if (!tierOf.ContainsKey(model))
            {
                throw new ArgumentException($"Model '{model}' is neither known to the extended router nor in the training data, so the router cannot rate it.");
            }
        }

        return extended.WithAddedModels(manifest, tierOf);
    }
}
