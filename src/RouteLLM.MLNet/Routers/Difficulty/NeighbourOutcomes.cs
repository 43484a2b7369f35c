using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// What a near-duplicate training prompt's outcomes say about a prompt. Some benchmarks come in twins (Winogrande's
/// sentence pairs differ in one word and have opposite answers), so the models' results on the twin carry signal of
/// either sign: for each model m, a ridge regression of its deviation from its mean (score − μ_m) on the twin's
/// deviations of every model and on those deviations times the twins' <see cref="AnswerOptions.Alignment"/>, fitted on
/// the training prompts paired with their most similar other training prompt (cosine ≥ the threshold). The alignment
/// term lets a model's position bias flip its twin's outcome when the correct letter moved and keep it when it did not;
/// without it twins in the same and in swapped order cancel out. A prompt with no such twin gets no correction.
/// </summary>
/// <remarks>
/// A twin is another prompt: a training prompt at cosine ≥ <see cref="SamePromptSimilarity"/> is the prompt itself, in
/// fitting as when the router meets a training prompt again, because the regressions learn how a model's outcome moves
/// from one prompt to a different one (on Winogrande: flips when the correct letter moved) and would turn a prompt's own
/// recorded outcome upside down.
/// </remarks>
internal sealed class NeighbourOutcomes
{
    /// <summary>The zip entry of <see cref="Deviations"/>.</summary>
    public const string DeviationsEntry = "difficulty/twin_deviations.idv";

    /// <summary>The zip entry of the per-model regressions: one row per manifest model.</summary>
    public const string RegressionsEntry = "difficulty/twin_regressions.idv";

    /// <summary>
    /// The cosine similarity from which two embeddings are one prompt (the same text, or one the embedder cannot tell
    /// apart), never twins; above what one changed word gives (at most 0.996 on RouterBench's Winogrande) and below
    /// the rounding of one text embedded twice.
    /// </summary>
    public const double SamePromptSimilarity = 0.9999;

    /// <summary>The zip entry of <see cref="AnswerFingerprints"/>.</summary>
    public const string AnswerFingerprintsEntry = "difficulty/answer_options.json";

    private readonly PromptEmbeddings _prompts;
    private readonly float[] _inverseNorms;

    private NeighbourOutcomes(PromptEmbeddings prompts, string[][] answerFingerprints, float[] deviations, RidgeRegression?[] regressions, double threshold)
    {
        _prompts = prompts;
        AnswerFingerprints = answerFingerprints;
        Deviations = deviations;
        Regressions = regressions;
        Threshold = threshold;
        _inverseNorms = new float[prompts.Count];
        for (var p = 0; p < prompts.Count; p++)
        {
            var norm = TensorPrimitives.Norm(prompts[p]);
            _inverseNorms[p] = norm > 0 ? 1 / norm : 0;
        }
    }

    /// <summary>Each training prompt's <see cref="AnswerOptions.Fingerprints"/>, in the training set's prompt order.</summary>
    public string[][] AnswerFingerprints { get; }

    /// <summary>Each training prompt's deviations (score − μ_m), <c>prompts × models</c>, 0 where a model was not scored.</summary>
    public float[] Deviations { get; }

    /// <summary>
    /// Per model, the regression on the twin's deviations and those times the alignment (<c>2 × models</c> features);
    /// null where too few twins were scored to fit one.
    /// </summary>
    public RidgeRegression?[] Regressions { get; }

    /// <summary>The least cosine similarity at which a training prompt counts as a twin.</summary>
    public double Threshold { get; }

    /// <summary>How many training prompts had a twin among the others.</summary>
    public int TwinCount { get; private init; }

    /// <summary>Fits the per-model regressions; models with fewer than <c>2 × folds</c> scored twins get none.</summary>
    /// <param name="prompts">The training prompts' embeddings, in the training set's prompt order.</param>
    /// <param name="answerFingerprints">The training prompts' <see cref="AnswerOptions.Fingerprints"/>, in the same order.</param>
    /// <param name="table">Scores, <c>prompts × models</c>, NaN where a model was not scored.</param>
    /// <param name="means">μ_m per model.</param>
    /// <param name="threshold">Least cosine similarity of a twin, in (0, <see cref="SamePromptSimilarity"/>).</param>
    /// <param name="penalties">Ridge penalties tried.</param>
    /// <param name="folds">Folds of the penalty choice.</param>
    /// <param name="seed">Seed of the folds.</param>
    public static NeighbourOutcomes Fit(
        PromptEmbeddings prompts, string[][] answerFingerprints, double[] table, double[] means, double threshold, IReadOnlyList<double> penalties, int folds, int seed)
    {
        var models = means.Length;
        var deviations = new float[table.Length];
        for (var i = 0; i < table.Length; i++)
        {
            deviations[i] = double.IsNaN(table[i]) ? 0 : (float)(table[i] - means[i % models]);
        }

        var empty = new NeighbourOutcomes(prompts, answerFingerprints, deviations, new RidgeRegression?[models], threshold);
        var twins = new List<(int Prompt, int Twin)>();
        for (var p = 0; p < prompts.Count; p++)
        {
            if (empty.Twin(prompts[p]) is { } twin)
            {
                twins.Add((p, twin));
            }
        }

        var regressions = new RidgeRegression?[models];
        for (var m = 0; m < models; m++)
        {
            var rows = twins.Where(t => !double.IsNaN(table[t.Prompt * models + m])).ToArray();
            if (rows.Length < 2 * folds)
            {
                continue;
            }

            var x = rows.SelectMany(t => empty.Features(t.Twin, answerFingerprints[t.Prompt])).ToArray();
            var y = rows.Select(t => (double)deviations[t.Prompt * models + m]).ToArray();
            regressions[m] = RidgeRegression.Fit(x, y, 2 * models, penalties, folds, seed);
        }

        return new NeighbourOutcomes(prompts, answerFingerprints, deviations, regressions, threshold) { TwinCount = twins.Count };
    }

    /// <summary>
    /// Writes the deviations (<see cref="DeviationsEntry"/>), the regressions (<see cref="RegressionsEntry"/>) and the
    /// options' fingerprints (<see cref="AnswerFingerprintsEntry"/>).
    /// </summary>
    public void Save(RouterZipWriter writer)
    {
        var models = Regressions.Length;
        writer.WriteMatrix(DeviationsEntry, Deviations, _prompts.Count, models);
        writer.WriteJson(AnswerFingerprintsEntry, AnswerFingerprints);
        var rows = new float[models * RegressionColumns(models)];
        for (var m = 0; m < models; m++)
        {
            if (Regressions[m] is { } r)
            {
                float[] row = [1, (float)r.Penalty, r.Intercept, .. r.Weights, .. r.Mean];
                row.CopyTo(rows, m * row.Length);
            }
        }

        writer.WriteMatrix(RegressionsEntry, rows, models, RegressionColumns(models));
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static NeighbourOutcomes Load(RouterZipReader reader, PromptEmbeddings prompts, double threshold)
    {
        var models = reader.Manifest.Models.Count;
        var deviations = reader.ReadMatrix(DeviationsEntry, out var rows, out var columns);
        if (rows != prompts.Count || columns != models || deviations.Any(v => !float.IsFinite(v)))
        {
            throw reader.Error($"{DeviationsEntry}: {rows}×{columns} finite values, expected {prompts.Count}×{models}");
        }

        var table = reader.ReadMatrix(RegressionsEntry, out rows, out columns);
        if (rows != models || columns != RegressionColumns(models) || table.Any(v => !float.IsFinite(v)))
        {
            throw reader.Error($"{RegressionsEntry}: {rows}×{columns} finite values, expected {models}×{RegressionColumns(models)}");
        }

        var features = 2 * models;
        var regressions = new RidgeRegression?[models];
        for (var m = 0; m < models; m++)
        {
            var row = table.AsSpan(m * columns, columns);
            regressions[m] = row[0] == 1
                ? RidgeRegression.FromParameters(row.Slice(3, features).ToArray(), row.Slice(3 + features, features).ToArray(), row[2], row[1])
                : null;
        }

        var answerFingerprints = reader.ReadJson<string[][]>(AnswerFingerprintsEntry);
        if (answerFingerprints is null || answerFingerprints.Length != prompts.Count || answerFingerprints.Any(o => o is null || o.Any(string.IsNullOrEmpty)))
        {
            throw reader.Error($"{AnswerFingerprintsEntry}: expected one list of option fingerprints per training prompt ({prompts.Count})");
        }

        return new NeighbourOutcomes(prompts, answerFingerprints, deviations, regressions, threshold);
    }

    // present (1 or 0), penalty, intercept, weights, mean; the twin's deviations, then those times the alignment.
    private static int RegressionColumns(int models) => 3 + 4 * models;

    private float[] Features(int twin, IReadOnlyList<string> answerFingerprints)
    {
        var models = Regressions.Length;
        var deviations = Deviations.AsSpan(twin * models, models);
        var alignment = AnswerOptions.Alignment(answerFingerprints, AnswerFingerprints[twin]);
        var features = new float[2 * models];
        for (var m = 0; m < models; m++)
        {
            features[m] = deviations[m];
            features[models + m] = alignment * deviations[m];
        }

        return features;
    }

    /// <summary>Adds each model's predicted deviation, times <paramref name="weight"/>, when the query has a twin among the training prompts.</summary>
    /// <param name="query">The prompt's embedding.</param>
    /// <param name="prompt">The prompt's text, read for its answer options only when it has a twin.</param>
    /// <param name="weight">t.</param>
    /// <param name="destination">Each model's expected score so far.</param>
    public void AddDeviations(ReadOnlySpan<float> query, string prompt, double weight, Span<double> destination)
    {
        if (weight == 0 || Twin(query) is not { } twin)
        {
            return;
        }

        var features = Features(twin, AnswerOptions.Fingerprints(prompt));
        for (var m = 0; m < destination.Length; m++)
        {
            if (Regressions[m] is { } regression)
            {
                destination[m] += weight * regression.Predict(features);
            }
        }
    }

    /// <summary>
    /// The most similar training prompt that is not the query itself (cosine below <see cref="SamePromptSimilarity"/>),
    /// when its cosine reaches the threshold.
    /// </summary>
    private int? Twin(ReadOnlySpan<float> query)
    {
        var norm = TensorPrimitives.Norm(query);
        if (!(norm > 0))
        {
            return null;
        }

        var (best, bestSimilarity) = (-1, double.NegativeInfinity);
        for (var p = 0; p < _prompts.Count; p++)
        {
            var similarity = TensorPrimitives.Dot(_prompts[p], query) * (double)_inverseNorms[p] / norm;
            if (similarity > bestSimilarity && similarity < SamePromptSimilarity)
            {
                (best, bestSimilarity) = (p, similarity);
            }
        }

        return best >= 0 && bestSimilarity >= Threshold ? best : null;
    }
}
