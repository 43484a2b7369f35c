using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// RouterBench's evaluation of a router among N models: the single models, the router's curve as its willingness to
/// pay λ sweeps from 0 (the best predicted model) to ∞ (the cheapest), the non-decreasing hulls, AIQ over the single
/// models' cost range for the router, the zero router and the oracle, and bootstrap intervals over prompts.
/// </summary>
public static class MultiModelEvaluator
{
    // The λ grid spans 3 decades below and 5 above 1 / (mean cost): from "a dollar is worth almost no quality" to "any
    // saving beats any quality", plus λ = 0 and λ = ∞ so both ends of the curve are reached exactly.
    private const int DecadesBelow = 3;
    private const int DecadesAbove = 5;

    /// <summary>Evaluates the router whose predictions are <paramref name="predictions"/> against <paramref name="truth"/>.</summary>
    /// <param name="truth">Measured quality and real (or catalogue) cost of each model on each prompt; costs required.</param>
    /// <param name="predictions">The router's priced predictions for the same prompts and models, in the same order.</param>
    /// <param name="leftOut">Models left out before this call, each with its reason (reported as is).</param>
    /// <param name="options">Names, sweep and bootstrap settings.</param>
    /// <exception cref="ArgumentException">The tables do not line up, or the truth has no costs.</exception>
    public static MultiModelEvaluation Evaluate(ModelScoreTable truth, PricedPredictions predictions, IReadOnlyList<string> leftOut, MultiModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(leftOut);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BootstrapResamples, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LambdasPerDecade, 1);
        CheckAligned(truth, predictions);

        var sweep = new Sweep(truth, predictions, options.LambdasPerDecade);
        var weights = new int[truth.Prompts.Count];
        Array.Fill(weights, 1);
        var full = sweep.Summarize(weights);
        var intervals = Bootstrap(sweep, truth.Prompts.Count, options);
        var best = full.SingleModels.OrderByDescending(m => m.Quality).ThenBy(m => m.CostUsd).First();
        var gap = full.OracleAiq - full.ZeroRouterAiq;
        return new MultiModelEvaluation
        {
            Router = options.RouterName,
            RouterFile = options.RouterFile,
            Benchmark = truth.Name,
            Prompts = truth.Prompts.Count,
            Models = truth.Models,
            LeftOut = leftOut,
            SingleModels = full.SingleModels,
            Aiq = full.Aiq,
            ZeroRouterAiq = full.ZeroRouterAiq,
            OracleAiq = full.OracleAiq,
            GapClosed = gap > 0 ? (full.Aiq - full.ZeroRouterAiq) / gap : null,
            HighestQuality = full.Curve.Max(p => p.Quality),
            CostShareToMatchBest = MultiModelMetrics.CostToReach(full.Hull, best.Quality) is { } cost && best.CostUsd > 0 ? cost / best.CostUsd : null,
            Ci95 = intervals,
            Curve = full.Curve,
            Hull = full.Hull,
            ZeroRouterHull = full.ZeroRouterHull,
            OracleHull = full.OracleHull,
        };
    }

    private static MultiModelIntervals Bootstrap(Sweep sweep, int promptCount, MultiModelOptions options)
    {
        var random = new Random(options.Seed);
        var draws = new int[promptCount];
        var samples = new double[4][];
        for (var k = 0; k < samples.Length; k++)
        {
            samples[k] = new double[options.BootstrapResamples];
        }

        for (var b = 0; b < options.BootstrapResamples; b++)
        {
            Array.Clear(draws);
            for (var i = 0; i < promptCount; i++)
            {
                draws[random.Next(promptCount)]++;
            }

            var summary = sweep.Summarize(draws);
            (samples[0][b], samples[1][b], samples[2][b], samples[3][b]) =
                (summary.Aiq, summary.ZeroRouterAiq, summary.OracleAiq, summary.Aiq - summary.ZeroRouterAiq);
        }

        return new MultiModelIntervals(Interval95(samples[0]), Interval95(samples[1]), Interval95(samples[2]), Interval95(samples[3]));
    }

    private static ConfidenceInterval Interval95(double[] values)
    {
        Array.Sort(values);
        return new ConfidenceInterval(ThresholdCalibrator.QuantileOfSorted(values, 0.025), ThresholdCalibrator.QuantileOfSorted(values, 0.975));
    }

    private static void CheckAligned(ModelScoreTable truth, PricedPredictions predictions)
    {
        if (truth.CostUsd is null)
        {
            throw new ArgumentException($"Benchmark '{truth.Name}' has no costs: price it with the catalogue first.", nameof(truth));
        }

        if (truth.Prompts.Count == 0)
        {
            throw new ArgumentException($"Benchmark '{truth.Name}' has no prompts.", nameof(truth));
        }

        if (truth.Prompts.Count != predictions.PromptCount)
        {
            throw new ArgumentException($"{truth.Prompts.Count} prompts in '{truth.Name}' but {predictions.PromptCount} rows of predictions.", nameof(predictions));
        }

        if (!truth.Models.SequenceEqual(predictions.Models, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The benchmark's models ({string.Join(", ", truth.Models)}) and the predictions' ({string.Join(", ", predictions.Models)}) differ.", nameof(predictions));
        }
    }

    /// <summary>Every choice of the router and the oracle at every λ, made once; resamples only reweigh prompts.</summary>
    private sealed class Sweep
    {
        private readonly ModelScoreTable _truth;
        private readonly double[] _routerLambdas;
        private readonly int[][] _routerChoices;
        private readonly int[][] _oracleChoices;

        public Sweep(ModelScoreTable truth, PricedPredictions predictions, int perDecade)
        {
            _truth = truth;
            var trueQuality = Array.ConvertAll(truth.Quality, q => (float)q);
            var models = truth.Models.Count;
            _routerLambdas = Lambdas(Enumerable.Range(0, predictions.PromptCount).SelectMany(p => predictions.CostRow(p).ToArray()), perDecade);
            var oracleLambdas = Lambdas(truth.CostUsd!, perDecade);
            _routerChoices = Choose(_routerLambdas, truth.Prompts.Count, predictions.QualityRow, predictions.CostRow);
            _oracleChoices = Choose(oracleLambdas, truth.Prompts.Count, p => trueQuality.AsSpan(p * models, models), truth.CostRow);
        }

        public Summary Summarize(int[] weights)
        {
            var total = (double)weights.Sum();
            var single = new SingleModelPoint[_truth.Models.Count];
            for (var m = 0; m < single.Length; m++)
            {
                var (cost, quality) = (0.0, 0.0);
                for (var p = 0; p < weights.Length; p++)
                {
                    cost += weights[p] * _truth.CostRow(p)[m];
                    quality += weights[p] * _truth.QualityRow(p)[m];
                }

                single[m] = new SingleModelPoint(_truth.Models[m], cost / total, quality / total);
            }

            var (minCost, maxCost) = (single.Min(s => s.CostUsd), single.Max(s => s.CostUsd));
            var zeroHull = MultiModelMetrics.NonDecreasingHull(single.Select(s => new CostQualityPoint(s.CostUsd, s.Quality)));
            var curve = Curve(_routerChoices, _routerLambdas, weights, total);
            var hull = MultiModelMetrics.NonDecreasingHull(curve);
            var oracleHull = MultiModelMetrics.NonDecreasingHull(Curve(_oracleChoices, null, weights, total));
            return new Summary(
                single, curve, hull, zeroHull, oracleHull,
                MultiModelMetrics.Aiq(hull, minCost, maxCost), MultiModelMetrics.Aiq(zeroHull, minCost, maxCost), MultiModelMetrics.Aiq(oracleHull, minCost, maxCost));
        }

        private CostQualityPoint[] Curve(int[][] choices, double[]? lambdas, int[] weights, double total)
        {
            var curve = new CostQualityPoint[choices.Length];
            for (var l = 0; l < choices.Length; l++)
            {
                var (cost, quality) = (0.0, 0.0);
                for (var p = 0; p < weights.Length; p++)
                {
                    var chosen = choices[l][p];
                    cost += weights[p] * _truth.CostRow(p)[chosen];
                    quality += weights[p] * _truth.QualityRow(p)[chosen];
                }

                curve[l] = new CostQualityPoint(cost / total, quality / total, lambdas?[l]);
            }

            return curve;
        }

        private static int[][] Choose(double[] lambdas, int prompts, RowOf<float> quality, RowOf<double> cost)
        {
            var choices = new int[lambdas.Length][];
            for (var l = 0; l < lambdas.Length; l++)
            {
                var policy = new WillingnessToPayPolicy(lambdas[l]);
                choices[l] = new int[prompts];
                for (var p = 0; p < prompts; p++)
                {
                    choices[l][p] = policy.Choose(quality(p), cost(p));
                }
            }

            return choices;
        }

        private static double[] Lambdas(IEnumerable<double> costs, int perDecade)
        {
            var positive = costs.Where(c => c > 0).ToArray();
            var scale = positive.Length == 0 ? 1 : 1 / positive.Average();
            var grid = new List<double> { 0 };
            for (var k = -DecadesBelow * perDecade; k <= DecadesAbove * perDecade; k++)
            {
                grid.Add(scale * Math.Pow(10, k / (double)perDecade));
            }

            grid.Add(double.PositiveInfinity);
            return [.. grid];
        }
    }

    private delegate ReadOnlySpan<T> RowOf<T>(int prompt);

    private sealed record Summary(
        SingleModelPoint[] SingleModels, CostQualityPoint[] Curve, IReadOnlyList<CostQualityPoint> Hull,
        IReadOnlyList<CostQualityPoint> ZeroRouterHull, IReadOnlyList<CostQualityPoint> OracleHull,
        double Aiq, double ZeroRouterAiq, double OracleAiq);
}
