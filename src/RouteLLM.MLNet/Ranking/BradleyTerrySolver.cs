namespace RouteLLM.MLNet.Ranking;

/// <summary>
/// Maximum-likelihood Bradley-Terry coefficients for a <see cref="PairwiseWins"/> table by Newton's method: the
/// logistic regression RouteLLM fits with scikit-learn (no intercept, no penalty), P(i beats j) =
/// 1 / (1 + 10^(β_j − β_i)), solved on the table's sufficient statistics instead of one row per battle.
/// </summary>
/// <remarks>
/// <para>
/// Without battles against the reference player the likelihood is unchanged by adding a constant to every β;
/// scikit-learn's L-BFGS starts at zero and its steps keep Σβ = 0 (each row's features sum to zero), and so does
/// this solver: the mean rating is 1000.
/// </para>
/// <para>
/// When a player never loses (or never wins) against the rest in the weighted data, the unpenalised maximum is at
/// infinity and scikit-learn stops wherever its iteration limit falls. This solver adds a ridge
/// <c>λ/2 · Σβ²</c> with λ = <see cref="RidgeFraction"/> × the table's total weight: it moves finite ratings by
/// about 1e-9 Elo (tests hold it under 1e-3 Elo against an unpenalised row-by-row fit) and stops an unbounded
/// rating near 10^12-to-1 odds (about 4,800 Elo from its opponents) instead of diverging.
/// </para>
/// </remarks>
internal static class BradleyTerrySolver
{
    /// <summary>Ridge strength per unit of total weight.</summary>
    public const double RidgeFraction = 1e-12;

    private const int MaxIterations = 500;
    private const double StepTolerance = 1e-11;

    // Newton decrement (the predicted decrease −gᵀΔ), relative to the objective, below which the fit has converged: a
    // rating error δ leaves a decrement of about δᵀHδ, so this holds ratings to about 1e-5 Elo.
    private const double DecrementTolerance = 1e-15;
    private static readonly double Ln10 = Math.Log(10);

    /// <summary>Coefficients β of players <c>0 … Players−1</c>; the reference player's is 0.</summary>
    /// <exception cref="InvalidOperationException">Newton's method did not converge (a bug or non-finite weights).</exception>
    public static double[] Solve(PairwiseWins wins)
    {
        var n = wins.Players;
        var beta = new double[n];
        var total = 0.0;
        var anchored = false;
        for (var i = 0; i < n; i++)
        {
            anchored |= wins[i, wins.Reference] > 0 || wins[wins.Reference, i] > 0;
        }

        foreach (var cell in wins.Cells)
        {
            total += cell;
        }

        if (n == 0 || total == 0)
        {
            return beta;
        }

        var lambda = RidgeFraction * total;
        var gradient = new double[n];
        var hessian = new double[n * n];
        var step = new double[n];
        var trial = new double[n];
        var objective = Objective(wins, beta, lambda);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            Derivatives(wins, beta, lambda, gradient, hessian);
            if (!anchored)
            {
                // The Hessian is singular along (1, …, 1), where the likelihood is flat; the gradient has no component
                // there, so adding a multiple of 11ᵀ changes no step but makes the system well conditioned.
                var shift = 0.0;
                for (var i = 0; i < n; i++) shift += hessian[i * n + i];
                shift /= (double)n * n;
                for (var i = 0; i < hessian.Length; i++) hessian[i] += shift;
            }

            for (var i = 0; i < n; i++) step[i] = -gradient[i];
            CholeskySolve(hessian, n, step);

            var slope = 0.0;
            for (var i = 0; i < n; i++) slope += gradient[i] * step[i];
            if (-slope <= DecrementTolerance * Math.Max(1, Math.Abs(objective)))
            {
                // The full Newton step would lower the objective by less than a double resolves at its size, so the
                // line search below would only see rounding and crawl; the fit is as close as it can tell.
                return beta;
            }

            var size = 1.0;
            double next;
            while (true)
            {
                for (var i = 0; i < n; i++) trial[i] = beta[i] + size * step[i];
                next = Objective(wins, trial, lambda);
                if (next <= objective + 1e-4 * size * slope || size < 1e-12) break;
                size /= 2;
            }

            var largest = 0.0;
            for (var i = 0; i < n; i++) largest = Math.Max(largest, Math.Abs(trial[i] - beta[i]));
            trial.CopyTo(beta, 0);
            objective = next;
            if (!anchored)
            {
                var mean = beta.Average();
                for (var i = 0; i < n; i++) beta[i] -= mean;
            }

            if (largest < StepTolerance)
            {
                return beta;
            }
        }

        throw new InvalidOperationException($"Bradley-Terry fit did not converge in {MaxIterations} Newton steps.");
    }

    private static double Objective(PairwiseWins wins, double[] beta, double lambda)
    {
        var n = wins.Players;
        var value = 0.0;
        for (var i = 0; i <= n; i++)
        {
            for (var j = 0; j <= n; j++)
            {
                var w = wins[i, j];
                if (w > 0)
                {
                    value += w * Softplus(-Ln10 * (Beta(beta, i) - Beta(beta, j)));
                }
            }
        }

        for (var i = 0; i < n; i++) value += 0.5 * lambda * beta[i] * beta[i];
        return value;
    }

    private static void Derivatives(PairwiseWins wins, double[] beta, double lambda, double[] gradient, double[] hessian)
    {
        var n = wins.Players;
        for (var i = 0; i < n; i++) gradient[i] = lambda * beta[i];
        Array.Clear(hessian);
        for (var i = 0; i < n; i++) hessian[i * n + i] = lambda;
        for (var i = 0; i <= n; i++)
        {
            for (var j = i + 1; j <= n; j++)
            {
                var wonByI = wins[i, j];
                var games = wonByI + wins[j, i];
                if (games == 0)
                {
                    continue;
                }

                // p = P(i beats j); the log-likelihood's derivative in β_i is ln10 · (won by i − games · p).
                var p = 1 / (1 + Math.Exp(-Ln10 * (Beta(beta, i) - Beta(beta, j))));
                var g = Ln10 * (games * p - wonByI);
                var h = Ln10 * Ln10 * games * p * (1 - p);
                if (i < n)
                {
                    gradient[i] += g;
                    hessian[i * n + i] += h;
                }

                if (j < n)
                {
                    gradient[j] -= g;
                    hessian[j * n + j] += h;
                }

                if (i < n && j < n)
                {
                    hessian[i * n + j] -= h;
                    hessian[j * n + i] -= h;
                }
            }
        }
    }

    private static double Beta(double[] beta, int player) => player < beta.Length ? beta[player] : 0;

    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>Solves A x = b in place for a symmetric positive definite A (destroyed).</summary>
    private static void CholeskySolve(double[] a, int n, double[] b)
    {
        for (var j = 0; j < n; j++)
        {
            var d = a[j * n + j];
            for (var k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0))
            {
                throw new InvalidOperationException("Bradley-Terry Hessian is not positive definite (non-finite weights?).");
            }

            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / d;
            }
        }

        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= a[i * n + k] * b[k];
            b[i] = s / a[i * n + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
            b[i] = s / a[i * n + i];
        }
    }
}
