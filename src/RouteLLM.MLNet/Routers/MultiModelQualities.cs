namespace RouteLLM.MLNet.Routers;

/// <summary>
/// What a multi-model router's predicted qualities mean, and the costs it learned. Trained on battles alone, a router
/// predicts each model's probability of beating the manifest's strong model (the reference, 0.5 for itself); trained
/// with per-prompt scores (<see cref="Pointwise"/>), each model's expected score on the prompt, e.g. P(correct).
/// </summary>
/// <param name="Pointwise">Whether qualities are expected scores of each model alone rather than win probabilities.</param>
/// <param name="Costs">Expected per-call costs learned from the training data's real costs; null when it had none.</param>
public sealed record MultiModelQualities(bool Pointwise, PromptCostModel? Costs)
{
    /// <summary>The zip entry recording <see cref="Pointwise"/>; absent from routers trained on battles alone.</summary>
    public const string Entry = "quality/parameters.json";

    /// <summary>Win probabilities against the reference, no costs: every router trained on battles alone, and every zip of format 1.</summary>
    public static MultiModelQualities WinProbabilities { get; } = new(Pointwise: false, Costs: null);

    /// <summary>Reads the entries a zip has; a zip without them predicts <see cref="WinProbabilities"/>.</summary>
    /// <param name="reader">The zip being read.</param>
    public static MultiModelQualities Load(RouterZipReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var pointwise = reader.Manifest.EntryDigests.ContainsKey(Entry) && reader.ReadJson<Parameters>(Entry).Pointwise;
        return new MultiModelQualities(pointwise, PromptCostModel.Load(reader));
    }

    /// <summary>Writes the entries this router needs: none for win probabilities without costs, so such zips keep format 1's entries.</summary>
    /// <param name="writer">The zip being written.</param>
    public void Save(RouterZipWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Pointwise)
        {
            writer.WriteJson(Entry, new Parameters(Pointwise));
        }

        Costs?.Save(writer);
    }

    /// <summary>Turns per-model logits δ(m, q) into qualities in place: σ(δ) when pointwise, else σ(δ − δ(reference)).</summary>
    /// <param name="logits">One prompt's logit per model; overwritten with its qualities.</param>
    /// <param name="reference">Index of the reference model.</param>
    internal void FromLogits(Span<float> logits, int reference)
    {
        var offset = Pointwise ? 0 : logits[reference];
        for (var m = 0; m < logits.Length; m++)
        {
            logits[m] = 1f / (1f + MathF.Exp(offset - logits[m]));
        }
    }

    /// <summary>The costs of <paramref name="prompts"/>, row-major per model, or null when none were learned.</summary>
    /// <param name="prompts">The prompts.</param>
    internal double[]? PredictCosts(IReadOnlyList<string> prompts) => Costs?.Predict(prompts);

    private sealed record Parameters(bool Pointwise);
}
