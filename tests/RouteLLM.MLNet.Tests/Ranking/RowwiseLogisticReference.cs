using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Ranking;

/// <summary>
/// RouteLLM's <c>compute_elo_mle_with_tie</c> written out row by row, as a reference: every battle duplicated, a
/// design row with +ln 10 in A's column and then −ln 10 in B's (so B's value wins when A = B), label 1 for both copies
/// of an A win and for the first copy of a tie, sample weights duplicated, then an unpenalised logistic regression
/// without intercept, solved by plain gradient descent from zero (which, like scikit-learn's L-BFGS, never leaves
/// Σβ = 0 when every row sums to zero). Returns Elo ratings 400·β + 1000, no anchor.
/// </summary>
internal static class RowwiseLogisticReference
{
    public static double[] Ratings(int players, IReadOnlyList<(int A, int B, BattleOutcome Outcome, double Weight)> battles)
    {
        var ln10 = Math.Log(10);
        var rows = new List<(double[] X, double Y, double W)>();
        for (var copy = 0; copy < 2; copy++)
        {
            foreach (var (a, b, outcome, weight) in battles)
            {
                var x = new double[players];
                x[a] = ln10;
                x[b] = -ln10;
                var y = outcome == BattleOutcome.ModelAWins || (outcome == BattleOutcome.Tie && copy == 0) ? 1.0 : 0.0;
                rows.Add((x, y, weight));
            }
        }

        // Gershgorin bound on the Hessian's largest eigenvalue: a safe fixed step.
        var bound = new double[players];
        foreach (var (x, _, w) in rows)
        {
            for (var i = 0; i < players; i++)
            {
                for (var j = 0; j < players; j++) bound[i] += 0.25 * w * Math.Abs(x[i] * x[j]);
            }
        }

        var step = 1 / bound.Max();
        var beta = new double[players];
        var gradient = new double[players];
        for (var iteration = 0; iteration < 2_000_000; iteration++)
        {
            Array.Clear(gradient);
            foreach (var (x, y, w) in rows)
            {
                var z = 0.0;
                for (var i = 0; i < players; i++) z += x[i] * beta[i];
                var residual = w * (1 / (1 + Math.Exp(-z)) - y);
                for (var i = 0; i < players; i++) gradient[i] += residual * x[i];
            }

            var largest = 0.0;
            for (var i = 0; i < players; i++)
            {
                beta[i] -= step * gradient[i];
                largest = Math.Max(largest, Math.Abs(step * gradient[i]));
            }

            if (largest < 1e-13)
            {
                return [.. beta.Select(b => 400 * b + 1000)];
            }
        }

        throw new InvalidOperationException("Reference gradient descent did not converge.");
    }
}
