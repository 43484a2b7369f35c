using System.Globalization;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

// dotnet run --project bench/RouteLLM.Headroom -c Release -- ../shared/data/routerbench/mbpp_train.csv [more files]
// Predictions are made from the whole file (means, loadings and ease in-sample), so every row is a ceiling: no router
// trained on part of the prompts can know more. The difficulty router's shape is kept: μ_m + β_m · ê_p, ê_p the best
// prediction of the prompt's ease e_p from a signal of correlation ρ with it.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: RouteLLM.Headroom FILE.csv [FILE.csv ...]  (RouterBench CSVs: scores and real per-call costs)");
    return 2;
}

double[] correlations = [0, 0.25, 0.5, 0.75, 1];
int[] noiseSeeds = [0, 1, 2];
foreach (var file in args)
{
    var read = ScoredPrompts.Read(file);
    var models = read.Items.SelectMany(s => s.Scores.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    var complete = read.Items.Where(s => models.All(m => s.Scores.ContainsKey(m) && s.CostsUsd.ContainsKey(m))).ToList();
    var (n, k) = (complete.Count, models.Count);
    var quality = new double[n * k];
    var cost = new double[n * k];
    for (var p = 0; p < n; p++)
    {
        for (var m = 0; m < k; m++)
        {
            (quality[p * k + m], cost[p * k + m]) = (complete[p].Scores[models[m]], complete[p].CostsUsd[models[m]]);
        }
    }

    var prompts = complete.Select(s => s.Prompt).ToList();
    var truth = new ModelScoreTable(Path.GetFileNameWithoutExtension(file), prompts, models, quality, cost, new SkippedRows());
    var means = Enumerable.Range(0, k).Select(m => Enumerable.Range(0, n).Average(p => quality[p * k + m])).ToArray();
    var meanCosts = Enumerable.Range(0, k).Select(m => Enumerable.Range(0, n).Average(p => cost[p * k + m])).ToArray();
    var ease = Enumerable.Range(0, n).Select(p => Enumerable.Range(0, k).Average(m => quality[p * k + m] - means[m])).ToArray();
    var easeSd = Math.Sqrt(ease.Average(e => e * e));
    var loadings = Enumerable.Range(0, k)
        .Select(m => Enumerable.Range(0, n).Sum(p => (quality[p * k + m] - means[m]) * ease[p]) / ease.Sum(e => e * e)).ToArray();

    MultiModelEvaluation Evaluate(Func<int, int, double> predictedQuality, bool realCosts, int seed)
    {
        var q = new float[n * k];
        var c = new double[n * k];
        for (var p = 0; p < n; p++)
        {
            for (var m = 0; m < k; m++)
            {
                q[p * k + m] = (float)Math.Clamp(predictedQuality(p, m), 0, 1);
                c[p * k + m] = realCosts ? cost[p * k + m] : meanCosts[m];
            }
        }

        var priced = PricedPredictions.Create(new ModelPredictions(models, n, q, c), prompts);
        return MultiModelEvaluator.Evaluate(truth, priced, [], new MultiModelOptions { RouterName = "headroom", Seed = seed });
    }

    string Row(string what, IReadOnlyList<MultiModelEvaluation> runs) => string.Create(CultureInfo.InvariantCulture,
        $"| {truth.Name} | {what} | {string.Join(" · ", runs.Select(e => $"{e.Aiq - e.ZeroRouterAiq:+0.0000;−0.0000} [{e.Ci95.AiqOverZeroRouter.Lower:+0.0000;−0.0000}, {e.Ci95.AiqOverZeroRouter.Upper:+0.0000;−0.0000}]"))} |");

    var skipped = read.Skipped.Total == 0 ? "none" : string.Join(", ", read.Skipped.Select(r => $"{r.Value} {r.Key}"));
    Console.WriteLine($"{truth.Name}: {n} prompts, {k} models; rows skipped: {skipped}; prompts left out without every model's score and cost: {read.Items.Count - n}");
    Console.WriteLine($"zero router AIQ {Evaluate((_, m) => means[m], false, 0).ZeroRouterAiq:F4}");
    Console.WriteLine("| benchmark | what the router knows | AIQ − zero router [95% CI], one run per noise seed |");
    Console.WriteLine("|---|---|---|");
    foreach (var rho in correlations)
    {
        var runs = noiseSeeds.Select(seed =>
        {
            var random = new Random(seed);
            var noisy = ease.Select(e => rho * e + Math.Sqrt(1 - rho * rho) * easeSd * Gaussian(random)).ToArray();
            // ρ · signal is what a regression on a predictor of that correlation predicts: no more confident than it knows.
            return Evaluate((p, m) => means[m] + loadings[m] * rho * noisy[p], false, seed);
        }).ToList();
        Console.WriteLine(Row(string.Create(CultureInfo.InvariantCulture, $"ease, correlation {rho}"), runs));
    }

    Console.WriteLine(Row("each call's real cost (qualities: the means)", [Evaluate((_, m) => means[m], true, 0)]));
    Console.WriteLine(Row("ease exactly and each call's real cost", [Evaluate((p, m) => means[m] + loadings[m] * ease[p], true, 0)]));
}

return 0;

static double Gaussian(Random random) =>
    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
