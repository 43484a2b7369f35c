using System.Numerics.Tensors;
using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// For each training prompt, the weighted tier-versus-tier win counts of its battles, laid out as a
/// <see cref="PairwiseWins"/> table over the tiers. Battles of one prompt share one similarity weight at query time,
/// so the weighted fit over every battle needs only <c>Σ_p w_p · counts_p</c>: RouteLLM's likelihood, exactly,
/// at the cost of one pass over distinct prompts.
/// </summary>
internal sealed class TierWinTable
{
    // Cell-major copies of the cells some prompt uses, so that one weighted sum per cell is one contiguous dot product.
    private readonly int[] _usedCells;
    private readonly double[] _usedColumns;

    /// <summary>Wraps row-major counts, one row of <see cref="PairwiseWins.CellCount"/>(tiers) cells per prompt.</summary>
    public TierWinTable(int tiers, int prompts, float[] counts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tiers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(prompts);
        var cells = PairwiseWins.CellCount(tiers);
        if (counts.Length != prompts * cells)
        {
            throw new ArgumentException($"{counts.Length} tier-win counts are not {prompts} prompts × {cells} cells.", nameof(counts));
        }

        if (counts.Any(c => !float.IsFinite(c) || c < 0))
        {
            throw new ArgumentException("Tier-win counts must be finite and ≥ 0.", nameof(counts));
        }

        Tiers = tiers;
        Prompts = prompts;
        Counts = counts;
        _usedCells = [.. Enumerable.Range(0, cells).Where(c => Enumerable.Range(0, prompts).Any(p => counts[p * cells + c] > 0))];
        _usedColumns = new double[_usedCells.Length * prompts];
        for (var u = 0; u < _usedCells.Length; u++)
        {
            for (var p = 0; p < prompts; p++)
            {
                _usedColumns[u * prompts + p] = counts[p * cells + _usedCells[u]];
            }
        }
    }

    /// <summary>Number of tiers.</summary>
    public int Tiers { get; }

    /// <summary>Number of training prompts (rows).</summary>
    public int Prompts { get; }

    /// <summary>The counts, row-major <c>Prompts × CellCount(Tiers)</c>, as saved.</summary>
    public float[] Counts { get; }

    /// <summary>Fills <paramref name="destination"/> with <c>Σ_p weights[p] · counts_p</c>.</summary>
    public void Aggregate(ReadOnlySpan<double> weights, PairwiseWins destination)
    {
        if (weights.Length != Prompts || destination.Players != Tiers)
        {
            throw new ArgumentException($"Expected {Prompts} weights and a table of {Tiers} tiers.");
        }

        var cells = destination.Cells;
        cells.Clear();
        for (var u = 0; u < _usedCells.Length; u++)
        {
            cells[_usedCells[u]] = TensorPrimitives.Dot(_usedColumns.AsSpan(u * Prompts, Prompts), weights);
        }
    }
}
