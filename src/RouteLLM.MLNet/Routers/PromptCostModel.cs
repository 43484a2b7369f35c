namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Each model's expected USD cost of a call, learned from the real per-call costs of the training data (RouterBench's
/// <c>&lt;model&gt;|total_cost</c>): a least-squares line in the prompt's length in characters per model, since a call
/// costs its input tokens plus its answer tokens and the answers of one model vary far less than the prompts. Saved as
/// <see cref="Entry"/>, one row <c>(intercept, slope)</c> per manifest model.
/// </summary>
public sealed class PromptCostModel
{
    /// <summary>The zip entry: a matrix of <c>models × 2</c> (USD intercept, USD per prompt character).</summary>
    public const string Entry = "costs/linear_in_prompt_chars.idv";

    private readonly float[] _coefficients;

    private PromptCostModel(float[] coefficients) => _coefficients = coefficients;

    /// <summary>Number of models (rows), in the order of the router's manifest.</summary>
    public int Models => _coefficients.Length / 2;

    /// <summary>
    /// Fits one line per model of <paramref name="trainingSet"/> from its scores' costs; null when some model has no
    /// cost (battles carry none), so that a policy falls back to the catalogue for every model alike.
    /// </summary>
    /// <param name="trainingSet">The training data.</param>
    public static PromptCostModel? Fit(TrainingSet trainingSet)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        var models = trainingSet.Models.Count;
        var sums = new double[models * 5]; // n, Σx, Σy, Σxx, Σxy
        foreach (var score in trainingSet.Scores)
        {
            if (float.IsNaN(score.CostUsd))
            {
                continue;
            }

            double x = trainingSet.Prompts[score.Prompt].Length, y = score.CostUsd;
            var s = sums.AsSpan(score.Model * 5, 5);
            s[0]++;
            s[1] += x;
            s[2] += y;
            s[3] += x * x;
            s[4] += x * y;
        }

        var coefficients = new float[models * 2];
        for (var m = 0; m < models; m++)
        {
            var s = sums.AsSpan(m * 5, 5);
            if (s[0] == 0)
            {
                return null;
            }

            var meanX = s[1] / s[0];
            var meanY = s[2] / s[0];
            var variance = s[3] / s[0] - meanX * meanX;
            var slope = variance > 1e-9 ? (s[4] / s[0] - meanX * meanY) / variance : 0;
            coefficients[2 * m] = (float)(meanY - slope * meanX);
            coefficients[2 * m + 1] = (float)slope;
        }

        return new PromptCostModel(coefficients);
    }

    /// <summary>Reads the entry when the zip has one; null otherwise (a router that learned no costs).</summary>
    /// <param name="reader">The zip being read.</param>
    public static PromptCostModel? Load(RouterZipReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!reader.Manifest.EntryDigests.ContainsKey(Entry))
        {
            return null;
        }

        var coefficients = reader.ReadMatrix(Entry, out var rows, out var columns);
        if (rows != reader.Manifest.Models.Count || columns != 2 || coefficients.Any(c => !float.IsFinite(c)))
        {
            throw reader.Error($"{Entry}: {rows}×{columns} finite coefficients expected {reader.Manifest.Models.Count}×2");
        }

        return new PromptCostModel(coefficients);
    }

    /// <summary>Writes the entry.</summary>
    /// <param name="writer">The zip being written.</param>
    public void Save(RouterZipWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteMatrix(Entry, _coefficients, Models, 2);
    }

    /// <summary>Row-major expected costs, <c>prompts.Count × Models</c>, never below zero.</summary>
    /// <param name="prompts">The prompts.</param>
    public double[] Predict(IReadOnlyList<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var costs = new double[prompts.Count * Models];
        for (var p = 0; p < prompts.Count; p++)
        {
            for (var m = 0; m < Models; m++)
            {
                costs[p * Models + m] = Math.Max(0, _coefficients[2 * m] + (double)_coefficients[2 * m + 1] * prompts[p].Length);
            }
        }

        return costs;
    }
}
