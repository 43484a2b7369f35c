using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// What a near-duplicate training prompt's outcomes say about a prompt. Some benchmarks come in twins (Winogrande's
/// sentence pairs differ in one word and have opposite answers), so the models' results on the twin carry signal of
/// either sign: for each model m, a ridge regression of its deviation from its mean (score − μ_m) on the twin's
/// deviations of every model, fitted on the training prompts paired with their most similar other training prompt
/// (cosine ≥ the threshold). A prompt with no such twin gets no correction.
/// </summary>
internal sealed class NeighbourOutcomes
{
    /// <summary>The zip entry of <see cref="Deviations"/>.</summary>
    public const string DeviationsEntry = "difficulty/twin_deviations.idv";

    /// <summary>The zip entry of the per-model regressions: one row per manifest model.</summary>
    public const string RegressionsEntry = "difficulty/twin_regressions.idv";

    private readonly PromptEmbeddings _prompts;
    private readonly float[] _inverseNorms;

    private NeighbourOutcomes(PromptEmbeddings prompts, float[] deviations, RidgeRegression?[] regressions, double threshold)
    {
        _prompts = prompts;
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

    /// <summary>Each training prompt's deviations (score − μ_m), <c>prompts × models</c>, 0 where a model was not scored.</summary>
    public float[] Deviations { get; }

    /// <summary>Per model, the regression on the twin's deviations; null where too few twins were scored to fit one.</summary>
    public RidgeRegression?[] Regressions { get; }

    /// <summary>The least cosine similarity at which a training prompt counts as a twin.</summary>
    public double Threshold { get; }

    /// <summary>How many training prompts had a twin among the others.</summary>
    public int TwinCount { get; private init; }

    /// <summary>Fits the per-model regressions; models with fewer than <c>2 × folds</c> scored twins get none.</summary>
    /// <param name="prompts">The training prompts' embeddings, in the training set's prompt order.</param>
    /// <param name="table">Scores, <c>prompts × models</c>, NaN where a model was not scored.</param>
    /// <param name="means">μ_m per model.</param>
    /// <param name="threshold">Least cosine similarity of a twin, in (0, 1].</param>
    /// <param name="penalties">Ridge penalties tried.</param>
    /// <param name="folds">Folds of the penalty choice.</param>
    /// <param name="seed">Seed of the folds.</param>
    public static NeighbourOutcomes Fit(
        PromptEmbeddings prompts, double[] table, double[] means, double threshold, IReadOnlyList<double> penalties, int folds, int seed)
    {
        var models = means.Length;
        var deviations = new float[table.Length];
        for (var i = 0; i < table.Length; i++)
        {
            deviations[i] = double.IsNaN(table[i]) ? 0 : (float)(table[i] - means[i % models]);
        }

        var empty = new NeighbourOutcomes(prompts, deviations, new RidgeRegression?[models], threshold);
        var twins = new List<(int Prompt, int Twin)>();
        for (var p = 0; p < prompts.Count; p++)
        {
            if (empty.Twin(prompts[p], exclude: p) is { } twin)
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

            var x = rows.SelectMany(t => deviations.AsSpan(t.Twin * models, models).ToArray()).ToArray();
            var y = rows.Select(t => (double)deviations[t.Prompt * models + m]).ToArray();
            regressions[m] = RidgeRegression.Fit(x, y, models, penalties, folds, seed);
        }

        return new NeighbourOutcomes(prompts, deviations, regressions, threshold) { TwinCount = twins.Count };
    }

    /// <summary>Writes the deviations (<see cref="DeviationsEntry"/>) and the regressions (<see cref="RegressionsEntry"/>).</summary>
    public void Save(RouterZipWriter writer)
    {
        var models = Regressions.Length;
        writer.WriteMatrix(DeviationsEntry, Deviations, _prompts.Count, models);
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

        var regressions = new RidgeRegression?[models];
        for (var m = 0; m < models; m++)
        {
            var row = table.AsSpan(m * columns, columns);
            regressions[m] = row[0] == 1
                ? RidgeRegression.FromParameters(row.Slice(3, models).ToArray(), row.Slice(3 + models, models).ToArray(), row[2], row[1])
                : null;
        }

        return new NeighbourOutcomes(prompts, deviations, regressions, threshold);
    }

    // present (1 or 0), penalty, intercept, weights, mean.
    private static int RegressionColumns(int models) => 3 + 2 * models;

    /// <summary>Adds each model's predicted deviation, times <paramref name="weight"/>, when the query has a twin among the training prompts.</summary>
    public void AddDeviations(ReadOnlySpan<float> query, double weight, Span<double> destination)
    {
        if (weight == 0 || Twin(query, exclude: -1) is not { } twin)
        {
            return;
        }

        var features = Deviations.AsSpan(twin * Regressions.Length, Regressions.Length);
        for (var m = 0; m < destination.Length; m++)
        {
            if (Regressions[m] is { } regression)
            {
                destination[m] += weight * regression.Predict(features);
            }
        }
    }

    /// <summary>The most similar training prompt other than <paramref name="exclude"/>, when its cosine reaches the threshold.</summary>
    private int? Twin(ReadOnlySpan<float> query, int exclude)
    {
        var norm = TensorPrimitives.Norm(query);
        if (!(norm > 0))
        {
            return null;
        }

        var (best, bestSimilarity) = (-1, double.NegativeInfinity);
        for (var p = 0; p < _prompts.Count; p++)
        {
            var similarity = p == exclude ? double.NegativeInfinity : TensorPrimitives.Dot(_prompts[p], query) * (double)_inverseNorms[p] / norm;
            if (similarity > bestSimilarity)
            {
                (best, bestSimilarity) = (p, similarity);
            }
        }

        return best >= 0 && bestSimilarity >= Threshold ? best : null;
    }
}
