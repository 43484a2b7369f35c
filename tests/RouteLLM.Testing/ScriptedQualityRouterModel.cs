using System.Globalization;
using RouteLLM.MLNet.Routers;

[assembly: RouterKind(RouteLLM.Testing.ScriptedQualityRouterModel.KindName, typeof(RouteLLM.Testing.ScriptedQualityRouterModel.Loader))]

namespace RouteLLM.Testing;

/// <summary>
/// A multi-model router whose predicted qualities tests choose: a prompt that starts with <c>q=0.9,0.6,0.3</c>
/// predicts those qualities for its models in order; any other prompt predicts <see cref="DefaultQualities"/>. Saved
/// and loaded like every router kind, so that multi-model serving can be tested on exact predictions.
/// </summary>
public sealed class ScriptedQualityRouterModel : RouterModel
{
    /// <summary>The manifest kind.</summary>
    public const string KindName = "scripted-quality";

    private const string ParametersEntry = "scripted-quality/parameters.json";

    private ScriptedQualityRouterModel(RouterManifest manifest, float[] defaultQualities)
        : base(manifest, trainingPrompts: null) => DefaultQualities = defaultQualities;

    /// <summary>The qualities predicted for prompts without a <c>q=</c> prefix, one per model.</summary>
    public IReadOnlyList<float> DefaultQualities { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>Creates a scripted router over <paramref name="models"/> (the first is its strong model, the last its weak one).</summary>
    /// <param name="models">The models it predicts, in order.</param>
    /// <param name="defaultQualities">The qualities of prompts without a <c>q=</c> prefix, one per model.</param>
    public static ScriptedQualityRouterModel Create(IReadOnlyList<string> models, params float[] defaultQualities)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models.Count, 2);
        ArgumentOutOfRangeException.ThrowIfNotEqual(defaultQualities.Length, models.Count);
        return new(new RouterManifest
        {
            Kind = KindName,
            Assembly = typeof(ScriptedQualityRouterModel).Assembly.GetName().Name!,
            StrongModel = models[0],
            WeakModel = models[^1],
            Models = models,
        }, defaultQualities);
    }

    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var count = Manifest.Models.Count;
        var quality = new float[prompts.Count * count];
        for (var p = 0; p < prompts.Count; p++)
        {
            Qualities(prompts[p]).CopyTo(quality, p * count);
        }

        return new ModelPredictions(Manifest.Models, prompts.Count, quality);
    }

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        for (var p = 0; p < prompts.Count; p++)
        {
            destination[p] = Qualities(prompts[p])[0];
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) => new ScriptedQualityRouterModel(manifest, [.. DefaultQualities]);

    /// <inheritdoc/>
    protected override void SaveContents(RouterZipWriter writer) => writer.WriteJson(ParametersEntry, new Parameters([.. DefaultQualities]));

    private float[] Qualities(string prompt)
    {
        if (!prompt.StartsWith("q=", StringComparison.Ordinal))
        {
            return [.. DefaultQualities];
        }

        var end = prompt.IndexOf(' ');
        var values = prompt[2..(end < 0 ? prompt.Length : end)].Split(',');
        if (values.Length != Manifest.Models.Count)
        {
            throw new FormatException($"Prompt '{prompt}' scripts {values.Length} qualities for {Manifest.Models.Count} models.");
        }

        return [.. values.Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];
    }

    private sealed record Parameters(float[] DefaultQualities);

    /// <summary>Reads scripted quality routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader) =>
            new ScriptedQualityRouterModel(reader.Manifest, reader.ReadJson<Parameters>(ParametersEntry).DefaultQualities);
    }
}
