using System.Globalization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>One way to train on preference battles and gold labels together.</summary>
/// <param name="GoldWeight">Sample weight of each gold battle (0 leaves the gold labels out).</param>
/// <param name="IncludeBattles">Whether the preference battles are trained on as well.</param>
public sealed record AugmentationCandidate(float GoldWeight, bool IncludeBattles = true)
{
    /// <summary>The candidates <see cref="GoldAugmentationSelector"/> tries by default: battles alone, gold alone, and battles with gold at weights 1 to 300.</summary>
    public static IReadOnlyList<AugmentationCandidate> Defaults { get; } =
    [
        new(0f), new(1f, IncludeBattles: false), new(1f), new(10f), new(30f), new(100f), new(300f),
    ];

    /// <summary>A short description, e.g. <c>battles + gold×30</c>.</summary>
    public override string ToString() => (IncludeBattles, GoldWeight) switch
    {
        (true, 0) => "battles",
        (false, _) => "gold",
        _ => string.Create(CultureInfo.InvariantCulture, $"battles + gold×{GoldWeight}"),
    };
}
