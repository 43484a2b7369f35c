namespace RouteLLM.MLNet.Routers;

/// <summary>
/// What a router predicts for a batch of prompts: each model's expected quality, and its expected cost in USD where the
/// router learned costs. Row-major: row <c>p</c> holds prompt <c>p</c>'s value for every model in <see cref="Models"/>.
/// </summary>
public sealed class ModelPredictions
{
    /// <summary>Wraps predicted values after checking their shapes.</summary>
    /// <param name="models">The models, in column order.</param>
    /// <param name="promptCount">How many prompts (rows).</param>
    /// <param name="quality">Expected quality in [0, 1], <c>promptCount × models.Count</c> values.</param>
    /// <param name="costUsd">Expected cost per request in USD, the same shape; null when the router learned no costs.</param>
    public ModelPredictions(IReadOnlyList<string> models, int promptCount, float[] quality, double[]? costUsd = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(quality);
        ArgumentOutOfRangeException.ThrowIfNegative(promptCount);
        if (quality.Length != promptCount * models.Count)
        {
            throw new ArgumentException($"Expected {promptCount} × {models.Count} quality values, got {quality.Length}.", nameof(quality));
        }

        if (costUsd is not null && costUsd.Length != quality.Length)
        {
            throw new ArgumentException($"Expected {quality.Length} cost values, got {costUsd.Length}.", nameof(costUsd));
        }

        Models = models;
        PromptCount = promptCount;
        Quality = quality;
        CostUsd = costUsd;
    }

    /// <summary>The models, in column order.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>How many prompts (rows).</summary>
    public int PromptCount { get; }

    /// <summary>Expected quality in [0, 1], row-major.</summary>
    public float[] Quality { get; }

    /// <summary>Expected cost per request in USD, row-major; null when the router learned no costs.</summary>
    public double[]? CostUsd { get; }

    /// <summary>Prompt <paramref name="prompt"/>'s predicted quality of every model.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<float> QualityRow(int prompt) => Quality.AsSpan(prompt * Models.Count, Models.Count);

    /// <summary>Prompt <paramref name="prompt"/>'s predicted cost of every model; empty when no costs were learned.</summary>
    /// <param name="prompt">The row.</param>
    public ReadOnlySpan<double> CostRow(int prompt) =>
        CostUsd is null ? [] : CostUsd.AsSpan(prompt * Models.Count, Models.Count);
}
