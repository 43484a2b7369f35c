using System.Globalization;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// When a prompt goes to the strong model: either a fixed threshold on P(strong model wins), or a target share of
/// strong-model calls that the router's calibration prompts turn into a threshold (RouteLLM's quantile rule).
/// </summary>
public readonly record struct RoutingThreshold
{
    private RoutingThreshold(double value, bool isStrongShare)
    {
        Value = value;
        IsStrongShare = isStrongShare;
    }

    /// <summary>The threshold in [0, 1], or the target share of strong calls in [0, 1] when <see cref="IsStrongShare"/>.</summary>
    public double Value { get; }

    /// <summary>Whether <see cref="Value"/> is a target share of strong calls rather than a threshold.</summary>
    public bool IsStrongShare { get; }

    /// <summary>Routes to the strong model when P(strong model wins) ≥ <paramref name="threshold"/>.</summary>
    /// <param name="threshold">A threshold in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is outside [0, 1] or NaN.</exception>
    public static RoutingThreshold Fixed(double threshold) => new(CheckUnit(threshold, nameof(threshold)), isStrongShare: false);

    /// <summary>
    /// Routes about <paramref name="strongShare"/> of traffic like the router's calibration prompts to the strong model.
    /// </summary>
    /// <param name="strongShare">The target share of strong calls, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="strongShare"/> is outside [0, 1] or NaN.</exception>
    public static RoutingThreshold ForStrongShare(double strongShare) => new(CheckUnit(strongShare, nameof(strongShare)), isStrongShare: true);

    /// <summary>The form used in model names: <c>0.11593</c> for a threshold, <c>@0.5</c> for a share.</summary>
    public override string ToString() =>
        (IsStrongShare ? "@" : "") + Value.ToString("0.#####", CultureInfo.InvariantCulture);

    private static double CheckUnit(double value, string name) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Must be in [0, 1].");
}
