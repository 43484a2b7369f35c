namespace RouteLLM.MLNet.Data;

/// <summary>
/// Per prompt, each model's measured quality and, where the data has it, what the call really cost: RouterBench's
/// files and the generic scored CSV read into one shape. Row-major: row <c>p</c> holds prompt <c>p</c>'s value for
/// every model in <see cref="Models"/>.
/// </summary>
public sealed class ModelScoreTable
{
    /// <summary>Wraps measured values after checking their shapes.</summary>
    /// <param name="name">The benchmark's name (e.g. the file name without extension).</param>
    /// <param name="prompts">The prompts, one per row.</param>
    /// <param name="models">The models, in column order.</param>
    /// <param name="quality">Quality of each model on each prompt, <c>prompts.Count × models.Count</c> values.</param>
    /// <param name="costUsd">Real cost of each call in USD, the same shape; null when the data has no costs.</param>
    /// <param name="skipped">Rows and cells left out while reading, by reason.</param>
    public ModelScoreTable(string name, IReadOnlyList<string> prompts, IReadOnlyList<string> models, double[] quality, double[]? costUsd, SkippedRows skipped)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(quality);
        ArgumentNullException.ThrowIfNull(skipped);
        if (quality.Length != prompts.Count * models.Count)
        {
            throw new ArgumentException($"Expected {prompts.Count} × {models.Count} quality values, got {quality.Length}.", nameof(quality));
        }

        if (costUsd is not null && costUsd.Length != quality.Length)
        {
            throw new ArgumentException($"Expected {quality.Length} cost values, got {costUsd.Length}.", nameof(costUsd));
        }

        Name = name;
        Prompts = prompts;
        Models = models;
        Quality = quality;
        CostUsd = costUsd;
        Skipped = skipped;
    }

    /// <summary>The benchmark's name.</summary>
    public string Name { get; }

    /// <summary>The prompts, one per row.</summary>
    public IReadOnlyList<string> Prompts { get; }

    /// <summary>The models, in column order.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Quality of each model on each prompt, row-major.</summary>
    public double[] Quality { get; }

    /// <summary>Real cost of each call in USD, row-major; null when the data has no costs.</summary>
    public double[]? CostUsd { get; }

    /// <summary>Rows and cells left out while reading, by reason.</summary>
    public SkippedRows Skipped { get; }

    /// <summary>Prompt <paramref name="prompt"/>'s quality of every model.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<double> QualityRow(int prompt) => Quality.AsSpan(prompt * Models.Count, Models.Count);

    /// <summary>Prompt <paramref name="prompt"/>'s cost of every model; empty when the data has no costs.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<double> CostRow(int prompt) => CostUsd is null ? [] : CostUsd.AsSpan(prompt * Models.Count, Models.Count);

    /// <summary>
    /// The same prompts with only <paramref name="models"/>, in that order, found by name or alias; with
    /// <paramref name="costUsd"/> as the costs when given (e.g. catalogue estimates for data without costs).
    /// </summary>
    /// <param name="models">The models to keep.</param>
    /// <param name="aliases">Spellings that name the same model.</param>
    /// <param name="costUsd">Replacement costs, <c>Prompts.Count × models.Count</c>, or null to keep the table's own.</param>
    /// <exception cref="ArgumentException">A model is not in the table.</exception>
    public ModelScoreTable Select(IReadOnlyList<string> models, ModelAliases aliases, double[]? costUsd = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(aliases);
        var columns = models.Select(m => IndexOf(m, aliases) is var i && i >= 0
            ? i
            : throw new ArgumentException($"Model '{m}' is not in benchmark '{Name}' ({string.Join(", ", Models)}).", nameof(models))).ToArray();
        var quality = new double[Prompts.Count * columns.Length];
        var cost = costUsd ?? (CostUsd is null ? null : new double[quality.Length]);
        for (var p = 0; p < Prompts.Count; p++)
        {
            for (var j = 0; j < columns.Length; j++)
            {
                quality[(p * columns.Length) + j] = Quality[(p * Models.Count) + columns[j]];
                if (costUsd is null && cost is not null)
                {
                    cost[(p * columns.Length) + j] = CostUsd![(p * Models.Count) + columns[j]];
                }
            }
        }

        return new ModelScoreTable(Name, Prompts, [.. models], quality, cost, Skipped);
    }

    /// <summary>The column of <paramref name="model"/> by name or alias, or -1.</summary>
    /// <param name="model">A model name.</param>
    /// <param name="aliases">Spellings that name the same model.</param>
    public int IndexOf(string model, ModelAliases aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        for (var i = 0; i < Models.Count; i++)
        {
            if (aliases.AreSame(Models[i], model))
            {
                return i;
            }
        }

        return -1;
    }
}
