using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// The per-prompt scores an SW router trained on scores keeps (<c>sw/scores.idv</c>: training prompts × models, NaN
/// where a model was not scored), and the kNN-like estimate it makes from them: a model's quality on a query is the
/// mean of its scores over the <see cref="Neighbours"/> most similar training prompts, each weighted
/// <c>b^(s / max s)</c> as RouteLLM weighs battles. A model scored on none of them gets its mean over all prompts.
/// </summary>
internal sealed class NeighbourScores
{
    public const string Entry = "sw/scores.idv";
    public const string ParametersEntry = "sw/score_parameters.json";

    private readonly float[]? _scores;
    private readonly double[] _means = [];

    public NeighbourScores(int neighbours, float[]? scores, int models)
    {
        Neighbours = neighbours;
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
        if (rows != prompts || columns != models || parameters.Neighbours < 1 || scores.Any(s => !float.IsNaN(s) && s is not (>= 0 and <= 1)))
        {
            throw reader.Error($"{Entry}: {rows}×{columns} scores in [0, 1] (or NaN) expected {prompts}×{models}, and {ParametersEntry} at least 1 neighbour");
        }

        return new NeighbourScores(parameters.Neighbours, scores, models);
    }

    /// <summary>Writes the entries when the router kept scores; nothing otherwise, so such zips keep format 1's entries.</summary>
    public void Save(RouterZipWriter writer, int models)
    {
        if (_scores is not null)
        {
            writer.WriteJson(ParametersEntry, new Parameters(Neighbours));
            writer.WriteMatrix(Entry, _scores, _scores.Length / models, models);
        }
    }

    /// <summary>
    /// Writes each model's similarity-weighted mean score into <paramref name="destination"/> (one slot per model),
    /// given every training prompt's cosine similarity to the query.
    /// </summary>
    public void Estimate(ReadOnlySpan<double> similarities, double logBase, Span<float> destination)
    {
        var scores = _scores!;
        var models = destination.Length;
        var count = Math.Min(Neighbours, similarities.Length);
        var nearest = new int[similarities.Length];
        for (var p = 0; p < nearest.Length; p++) nearest[p] = p;
        var keys = similarities.ToArray();
        TensorPrimitives.Negate(keys, keys);
        Array.Sort(keys, nearest); // ascending −s: most similar first; ties keep no particular order but equal weights
        var max = -keys[0];
        var sums = new double[models];
        var weights = new double[models];
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

        for (var m = 0; m < models; m++)
        {
            destination[m] = (float)(weights[m] > 0 ? sums[m] / weights[m] : _means[m]);
        }
    }

    private sealed record Parameters(int Neighbours);
}
