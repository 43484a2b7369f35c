using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Tests.Ranking;

public sealed class BradleyTerrySolverTests
{
    // The tier-versus-tier table of one MMLU query of the SW router trained on 4/5 of the judge battles (10 tiers plus
    // the fixed opponent, index 10); cell [winner, loser]. Its objective is near 10^6, so the last Newton steps change
    // it by less than a double can show, and a line search on it alone stalls.
    private static readonly double[,] LargeTable =
    {
        { 0, 45975.85631661957, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
        { 18421.63364339656, 0, 0, 77436.7305502028, 286190.3597117891, 354379.1544678644, 347526.79939901596, 208708.8799421219, 62959.75578701732, 20865.420440016955, 12890.294862527808 },
        { 0, 0, 0, 0, 0, 0, 0, 20998.09645138128, 0, 0, 0 },
        { 0, 29892.41938315738, 0, 0, 0, 0, 0, 122346.05964711712, 0, 0, 0 },
        { 0, 57239.98709018911, 0, 0, 0, 0, 0, 316804.4255815054, 0, 0, 0 },
        { 0, 31992.600271349835, 0, 0, 0, 0, 0, 273254.70878051396, 0, 0, 0 },
        { 0, 17307.927942827642, 0, 0, 0, 0, 0, 123827.6733023261, 0, 0, 0 },
        { 0, 5911.958360410457, 467.73353529075774, 6290.47322147347, 26190.257568306406, 48275.096305470914, 47517.409466673984, 0, 30360.5654875966, 18648.275203506055, 31469.977762759583 },
        { 0, 1322.9167009173423, 0, 0, 0, 0, 0, 12420.362307571848, 0, 0, 0 },
        { 0, 559.3576407650971, 0, 0, 0, 0, 0, 2817.5547831659815, 0, 0, 0 },
        { 0, 8575.53512414423, 0, 0, 0, 0, 0, 32907.46214668028, 0, 0, 0 },
    };

    [Fact]
    public void Converges_when_the_objective_is_too_large_to_resolve_the_last_steps()
    {
        var ratings = BradleyTerrySolver.Solve(Table(LargeTable, scale: 1));

        // Scaling every weight leaves the maximum where it is; a million times smaller, the objective resolves every step.
        var reference = BradleyTerrySolver.Solve(Table(LargeTable, scale: 1e-6));
        Assert.Equal(reference.Length, ratings.Length);
        for (var i = 0; i < ratings.Length; i++)
        {
            Assert.Equal(reference[i], ratings[i], 1e-7);
        }
    }

    private static PairwiseWins Table(double[,] cells, double scale)
    {
        var players = cells.GetLength(0) - 1;
        var wins = new PairwiseWins(players);
        for (var winner = 0; winner <= players; winner++)
        {
            for (var loser = 0; loser <= players; loser++)
            {
                wins.Cells[winner * (players + 1) + loser] = cells[winner, loser] * scale;
            }
        }

        return wins;
    }
}
