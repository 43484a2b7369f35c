using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// The one way gold labels join training: each gold battle's weight is multiplied by the gold weight and the battle is
/// marked <see cref="Battle.IsGold"/>, so that trainers count it (the SW router's <c>gold_battles</c> metric).
/// </summary>
public static class GoldBattles
{
    /// <summary>The gold battles weighted by <paramref name="goldWeight"/>; none when it is 0.</summary>
    /// <param name="gold">Gold battles, e.g. from <see cref="BenchmarkData.ToBattles"/>.</param>
    /// <param name="goldWeight">Sample weight of each gold battle, finite and ≥ 0; 0 leaves gold out.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="goldWeight"/> is negative or not finite.</exception>
    public static IEnumerable<Battle> Weighted(IEnumerable<Battle> gold, float goldWeight)
    {
        ArgumentNullException.ThrowIfNull(gold);
        if (!float.IsFinite(goldWeight) || goldWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(goldWeight), goldWeight, "The gold weight must be a finite number ≥ 0.");
        }

        return goldWeight == 0 ? [] : gold.Select(b => b with { Weight = b.Weight * goldWeight, IsGold = true });
    }

    /// <summary>The battles followed by the gold battles weighted by <paramref name="goldWeight"/>.</summary>
    /// <param name="battles">Preference battles.</param>
    /// <param name="gold">Gold battles.</param>
    /// <param name="goldWeight">Sample weight of each gold battle, finite and ≥ 0; 0 leaves gold out.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="goldWeight"/> is negative or not finite.</exception>
    public static List<Battle> Augment(IEnumerable<Battle> battles, IEnumerable<Battle> gold, float goldWeight)
    {
        ArgumentNullException.ThrowIfNull(battles);
        return [.. battles, .. Weighted(gold, goldWeight)];
    }
}
