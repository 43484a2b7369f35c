using System.Numerics.Tensors;
using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// The per-prompt scores an SW router trained on scores keeps (<c>sw/scores.idv</c>: training prompts × models, NaN
/// where a model was not scored), and the kNN-like estimate it makes from them: a model's quality on a query is the
/// mean of its scores over the <see cref="Neighbours"/> most similar training prompts, each weighted
/// <c>b^(s / max s)</c> as RouteLLM weighs battles, shrunk toward the model's mean over all training prompts by
/// <see cref="Shrinkage"/> pseudo-prompts: <c>(Σ w·s + α·mean) / (Σ w + α)</c>. So a router whose neighbours carry
/// no signal degrades to per-model constants, which is the zero router. A model scored on none of them gets its mean.
/// </summary>
internal sealed class NeighbourScores
{
    public const string Entry = "sw/scores.idv";
    public const string ParametersEntry = "sw/score_parameters.json";

    private readonly float[]? _scores;
    private readonly double[] _means = [];

    public NeighbourScores(int neighbours, float[]? scores, int models, double shrinkage = 0)
    {
        Neighbours = neighbours;
        Shrinkage = shrinkage;
        _scores = scores;
        if (scores is not null)
        {
            _means = new double[models];
            for (var m = 0; m < models; m++)
            {
                double sum = 0;
                var count = 0;
                for (var i = m; i < scores.Length; i += models)
                {
                    if (!float.IsNaN(scores[i]))
                    {
                        sum += scores[i];
                        count++;
                    }
                }

                _means[m] = count > 0 ? sum / count : 0.5;
            }
        }
    }

    /// <summary>How many of the most similar training prompts the estimate averages over.</summary>
    public int Neighbours { get; }

    /// <summary>The pseudo-count α of each model's overall mean in its estimate; 0 for none.</summary>
    public double Shrinkage { get; }

    /// <summary>Each model's mean score over all training prompts (empty when no scores were kept).</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>Whether the router kept scores (was trained on some).</summary>
    public bool HasScores => _scores is not null;

    /// <summary>The scores, row-major <c>prompts × models</c>, as saved; null when none were kept.</summary>
    public float[]? Scores => _scores;

    /// <summary>Reads the entries when the zip has them; otherwise a router without scores.</summary>
    public static NeighbourScores Load(RouterZipReader reader, int prompts)
    {
        var models = reader.Manifest.Models.Count;
        if (!reader.Manifest.EntryDigests.ContainsKey(Entry))
        {
            return new NeighbourScores(1, null, models);
        }

        var parameters = reader.ReadJson<Parameters>(ParametersEntry);
        var scores = reader.ReadMatrix(Entry, out var rows, out var columns);
        if (rows != prompts || columns != models || parameters.Neighbours < 1 || !double.IsFinite(parameters.Shrinkage) || parameters.Shrinkage < 0 || scores.Any(s => !float.IsNaN(s) && s is not (>= 0 and <= 1)))
        {
            throw reader.Error($"{Entry}: {rows}×{columns} scores in [0, 1] (or NaN) expected {prompts}×{models}, and {ParametersEntry} at least 1 neighbour and a finite shrinkage ≥ 0");
        }

        return new NeighbourScores(parameters.Neighbours, scores, models, parameters.Shrinkage);
    }

    /// <summary>Writes the entries when the router kept scores; nothing otherwise, so such zips keep format 1's entries.</summary>
    public void Save(RouterZipWriter writer, int models)
    {
        if (_scores is not null)
        {
            writer.WriteJson(ParametersEntry, new Parameters(Neighbours, Shrinkage));
            writer.WriteMatrix(Entry, _scores, _scores.Length / models, models);
        }
    }

    /// <summary>
    /// Writes each model's shrunk similarity-weighted mean score into <paramref name="destination"/> (one slot per
    /// model), given every training prompt's cosine similarity to the query.
    /// </summary>
    public void Estimate(ReadOnlySpan<double> similarities, double logBase, Span<float> destination)
    {
        var sums = new double[destination.Length];
        var weights = new double[destination.Length];
        Accumulate(similarities, logBase, sums, weights);
        for (var m = 0; m < destination.Length; m++)
        {
            destination[m] = (float)Shrunk(sums[m], weights[m], _means[m], Shrinkage);
        }
    }

    /// <summary>
    /// Adds the weighted scores of the <see cref="Neighbours"/> most similar training prompts per model into
    /// <paramref name="sums"/>, and their weights into <paramref name="weights"/>. A prompt of similarity −∞ is never a
    /// neighbour (how leave-one-out leaves a prompt out).
    /// </summary>
    internal void Accumulate(ReadOnlySpan<double> similarities, double logBase, Span<double> sums, Span<double> weights)
    {
        var scores = _scores!;
        var models = sums.Length;
        var excluded = 0;
        foreach (var s in similarities) if (double.IsNegativeInfinity(s)) excluded++;
        var count = Math.Min(Neighbours, similarities.Length - excluded);
        var nearest = new int[similarities.Length];
        for (var p = 0; p < nearest.Length; p++) nearest[p] = p;
        var keys = similarities.ToArray();
        TensorPrimitives.Negate(keys, keys);
        Array.Sort(keys, nearest); // ascending −s: most similar first; ties keep no particular order but equal weights
        var max = count > 0 ? -keys[0] : 0;
        for (var n = 0; n < count; n++)
        {
            var similarity = -keys[n];
            var weight = max > 0 ? Math.Exp(logBase * similarity / max) : 1;
            var row = scores.AsSpan(nearest[n] * models, models);
            for (var m = 0; m < models; m++)
            {
                if (!float.IsNaN(row[m]))
                {
                    sums[m] += weight * row[m];
                    weights[m] += weight;
                }
            }
        }
    }

    /// <summary><c>(sum + α·mean) / (weight + α)</c>; the mean alone when nothing weighs.</summary>
    internal static double Shrunk(double sum, double weight, double mean, double shrinkage) =>
        weight + shrinkage > 0 ? (sum + shrinkage * mean) / (weight + shrinkage) : mean;

    // Shrinkage 0 is not written, so zips of routers without it keep their bytes.
    private sealed record Parameters(int Neighbours, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double Shrinkage = 0);
}
