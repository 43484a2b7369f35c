using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Ranking;

/// <summary>
/// Weighted win totals between players <c>0 … Players−1</c> and one reference player (index <see cref="Players"/>)
/// whose coefficient is fixed at 0 (Elo 1000), counted the way RouteLLM's <c>compute_elo_mle_with_tie</c> builds
/// its logistic-regression rows. Cell <c>winner · (Players + 1) + loser</c> holds the weight of rows that
/// <c>winner</c> won against <c>loser</c>.
/// </summary>
internal sealed class PairwiseWins
{
    private readonly double[] _cells;

    public PairwiseWins(int players)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(players);
        Players = players;
        _cells = new double[CellCount(players)];
    }

    /// <summary>Number of rated players (the reference player not included).</summary>
    public int Players { get; }

    /// <summary>Index of the reference player.</summary>
    public int Reference => Players;

    /// <summary>All cells, row-major by winner.</summary>
    public Span<double> Cells => _cells;

    public double this[int winner, int loser] => _cells[winner * (Players + 1) + loser];

    /// <summary>Number of cells of a table over <paramref name="players"/> players and the reference player.</summary>
    public static int CellCount(int players) => (players + 1) * (players + 1);

    /// <summary>
    /// Adds one battle as RouteLLM counts it. The battle is duplicated, so a win counts twice and a tie counts as one
    /// win for each side. When <paramref name="a"/> equals <paramref name="b"/>, RouteLLM's design matrix writes
    /// B's −ln 10 over A's +ln 10 in the same column, which makes the row a battle of the reference player (as A)
    /// against the player (as B); that is kept, so that tier-level fits give RouteLLM's ratings.
    /// </summary>
    public void AddBattle(int a, int b, BattleOutcome outcome, double weight)
    {
        var first = a == b ? Reference : a;
        switch (outcome)
        {
            case BattleOutcome.ModelAWins:
                Add(first, b, 2 * weight);
                break;
            case BattleOutcome.ModelBWins:
                Add(b, first, 2 * weight);
                break;
            default:
                Add(first, b, weight);
                Add(b, first, weight);
                break;
        }
    }

    private void Add(int winner, int loser, double weight) => _cells[winner * (Players + 1) + loser] += weight;
}
