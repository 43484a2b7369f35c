using System.Globalization;
using Microsoft.ML;

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// Trains the difficulty router (<see cref="DifficultyRouterModel"/>) on per-prompt scores of many models: each model's
/// mean score μ_m; each training prompt's ease e_p, the mean over the models scored on it of (score − μ_m), a far less
/// noisy target than one model's 0/1; each model's loading β_m, the least-squares slope of its (score − μ_m) on e_p; and
/// a ridge regression of e_p on the prompt's embedding, its penalty chosen by k-fold squared error. Battles are not read.
/// </summary>
public sealed partial class DifficultyRouterTrainer : RouterTrainerBase<DifficultyRouterModel, DifficultyRouterTrainer.Options>
{
    internal const string KindName = "difficulty";

    internal DifficultyRouterTrainer(MLContext context, Options options)
        : base(context, Validate(options))
    {
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override bool ReadsEmbeddings => true;

    /// <summary>
    /// The (deviation, twin) weights <see cref="TrainCandidates"/> returns a router for, the per-model constants (0, 0)
    /// first: from trusting the predicted ease and the twins not at all to amplifying them.
    /// </summary>
    public static IReadOnlyList<(double Deviation, double Twin)> CandidateWeights { get; } =
        [.. new[] { 0, 0.5, 1, 2 }.SelectMany(s => new[] { 0, 0.5, 1 }.Select(t => (s * 1.0, t * 1.0)))];

    /// <summary>
    /// Trains once and returns the router at each of <see cref="CandidateWeights"/>, in that order: the candidates among
    /// which a held-out routing measure chooses (e.g. <c>MultiModelSelection.Train</c>).
    /// </summary>
    /// <param name="trainingSet">The scores.</param>
    public IReadOnlyList<RouterModel> TrainCandidates(TrainingSet trainingSet)
    {
        var model = Train(trainingSet);
        return [.. CandidateWeights.Select(w => model.WithWeights(w.Deviation, w.Twin))];
    }

    internal static void CheckWeight(double weight)
    {
        if (!double.IsFinite(weight) || weight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "DeviationWeight and TwinWeight must be finite and ≥ 0.");
        }
    }

    /// <inheritdoc/>
    protected override DifficultyRouterModel TrainCore(TrainingSet trainingSet)
    {
        if (trainingSet.Scores.Count == 0)
        {
            throw new ArgumentException("The difficulty router learns from per-prompt scores of models (--scores); the training set has none.", nameof(trainingSet));
        }

        var models = trainingSet.Models.Count;
        var table = ScoreTable(trainingSet);
        var means = new double[models];
        var counts = new int[models];
        foreach (var (p, m) in Scored(table, models))
        {
            means[m] += table[p * models + m];
            counts[m]++;
        }

        for (var m = 0; m < models; m++)
        {
            means[m] = counts[m] > 0 ? means[m] / counts[m] : 0;
        }

        var ease = Ease(table, means);
        var loadings = Loadings(table, means, ease);
        var easeRows = Enumerable.Range(0, ease.Length).Where(p => double.IsFinite(ease[p])).ToArray();
        var dimension = trainingSet.Dimension;
        var x = new float[easeRows.Length * dimension];
        for (var r = 0; r < easeRows.Length; r++)
        {
            trainingSet.Embedding(easeRows[r]).CopyTo(x.AsSpan(r * dimension, dimension));
        }

        var folds = Math.Min(TrainerOptions.RidgeFolds, easeRows.Length);
        if (folds < 2)
        {
            throw new ArgumentException($"The difficulty router needs at least 2 scored prompts; the training set has {easeRows.Length}.", nameof(trainingSet));
        }

        var regression = RidgeRegression.Fit(x, [.. easeRows.Select(p => ease[p])], dimension, TrainerOptions.RidgePenalties, folds, TrainerOptions.Seed);
        var prompts = TrainingPromptsOf(trainingSet) ?? throw new ArgumentException("The training set carries no prompt embeddings.", nameof(trainingSet));
        var answerFingerprints = trainingSet.Prompts.Select(AnswerOptions.Fingerprints).ToArray();
        var twins = NeighbourOutcomes.Fit(prompts, answerFingerprints, table, means, TrainerOptions.TwinSimilarity, TrainerOptions.RidgePenalties, folds, TrainerOptions.Seed);
        var easeVariance = easeRows.Select(p => ease[p] * ease[p]).Average() - Math.Pow(easeRows.Average(p => ease[p]), 2);
        var metrics = new Dictionary<string, double>
        {
            ["scores"] = trainingSet.Scores.Count,
            ["scored_prompts"] = easeRows.Length,
            ["ease_variance"] = easeVariance,
            ["ease_cv_mse"] = regression.CrossValidatedError,
            ["ridge_penalty"] = regression.Penalty,
            ["twins"] = twins.TwinCount,
        };
        return new DifficultyRouterModel(
            CreateManifest(trainingSet, metrics), prompts, Array.ConvertAll(means, v => (float)v), Array.ConvertAll(loadings, v => (float)v),
            regression, twins, (TrainerOptions.DeviationWeight, TrainerOptions.TwinWeight),
            new MultiModelQualities(Pointwise: true, PromptCostModel.Fit(trainingSet)));
    }

    /// <summary>Scores laid out <c>prompts × models</c>, NaN where a model was not scored, the mean where it was scored twice.</summary>
    private static double[] ScoreTable(TrainingSet trainingSet)
    {
        var models = trainingSet.Models.Count;
        var sums = new double[trainingSet.Prompts.Count * models];
        var counts = new int[sums.Length];
        foreach (var score in trainingSet.Scores)
        {
            sums[score.Prompt * models + score.Model] += score.Score;
            counts[score.Prompt * models + score.Model]++;
        }

        return [.. sums.Select((sum, i) => counts[i] > 0 ? sum / counts[i] : double.NaN)];
    }

    private static IEnumerable<(int Prompt, int Model)> Scored(double[] table, int models) =>
        Enumerable.Range(0, table.Length).Where(i => !double.IsNaN(table[i])).Select(i => (i / models, i % models));

    /// <summary>e_p: the mean over the models scored on prompt p of (score − μ_m); NaN for a prompt no model was scored on.</summary>
    private static double[] Ease(double[] table, double[] means)
    {
        var models = means.Length;
        var sums = new double[table.Length / models];
        var counts = new int[sums.Length];
        foreach (var (p, m) in Scored(table, models))
        {
            sums[p] += table[p * models + m] - means[m];
            counts[p]++;
        }

        return [.. sums.Select((sum, p) => counts[p] > 0 ? sum / counts[p] : double.NaN)];
    }

    /// <summary>β_m: the least-squares slope through the origin of (score − μ_m) on e_p; 0 when the ease never varies.</summary>
    private static double[] Loadings(double[] table, double[] means, double[] ease)
    {
        var models = means.Length;
        var (cross, squares) = (new double[models], new double[models]);
        foreach (var (p, m) in Scored(table, models))
        {
            cross[m] += (table[p * models + m] - means[m]) * ease[p];
            squares[m] += ease[p] * ease[p];
        }

        return [.. cross.Select((c, m) => squares[m] > 1e-12 ? c / squares[m] : 0)];
    }

    private static Options Validate(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Embedder is null)
        {
            throw new ArgumentException("DifficultyRouterTrainer.Options.Embedder must name the embedder of the prompt embeddings.", nameof(options));
        }

        CheckWeight(options.DeviationWeight);
        CheckWeight(options.TwinWeight);
        if (!(options.TwinSimilarity is > 0 and < NeighbourOutcomes.SamePromptSimilarity))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TwinSimilarity,
                $"TwinSimilarity must be in (0, {NeighbourOutcomes.SamePromptSimilarity.ToString(CultureInfo.InvariantCulture)}): from there on two prompts are one.");
        }

        ArgumentNullException.ThrowIfNull(options.RidgePenalties);
        if (options.RidgePenalties.Count == 0 || options.RidgePenalties.Any(p => !double.IsFinite(p) || p <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RidgePenalties must be one or more finite penalties > 0.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.RidgeFolds, 2);
        return options;
    }
}
