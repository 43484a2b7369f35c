using System.Globalization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>One way to train on preference battles and gold labels together.</summary>
/// <param name="GoldWeight">Sample weight of each gold battle (0 leaves the gold labels out).</param>
/// <param name="Battles">Which preference battles are trained on as well.</param>
public sealed record AugmentationCandidate(float GoldWeight, BattleSubset Battles = BattleSubset.All)
{
    /// <summary>Gold labels alone.</summary>
    public static AugmentationCandidate GoldOnly { get; } = new(1f, BattleSubset.None);

    /// <summary>All preference battles, no gold.</summary>
    public static AugmentationCandidate BattlesOnly { get; } = new(0f);

    /// <summary>Whether the candidate trains on anything: some battles, or gold with a positive, finite weight.</summary>
    public bool IsValid =>
        Enum.IsDefined(Battles) && float.IsFinite(GoldWeight) && GoldWeight >= 0 && (GoldWeight > 0 || Battles != BattleSubset.None);

    /// <summary>A short description, e.g. <c>battles + gold×30</c>.</summary>
    public override string ToString()
    {
        var battles = Battles switch
        {
            BattleSubset.All => "battles",
            BattleSubset.StrongWeakTiers => "strong/weak-tier battles",
            _ => null,
        };
        return (battles, GoldWeight) switch
        {
            (null, _) => "gold",
            (_, 0) => battles,
            _ => string.Create(CultureInfo.InvariantCulture, $"{battles} + gold×{GoldWeight}"),
        };
    }
}
