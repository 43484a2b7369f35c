using System.Globalization;
using RouteLLM.MLNet.Routers;

[assembly: RouterKind(RouteLLM.Testing.ScriptedQualityRouterModel.KindName, typeof(RouteLLM.Testing.ScriptedQualityRouterModel.Loader))]

namespace RouteLLM.Testing;

/// <summary>
/// A multi-model router whose predicted qualities tests choose: a prompt in <see cref="Qualities"/> predicts its entry
/// there, a prompt that starts with <c>q=0.9,0.6,0.3</c> predicts those qualities for its models in order, any other
/// prompt predicts <see cref="DefaultQualities"/>. Its strong win rate is the first model's quality. Saved and loaded
/// like every router kind, so that multi-model serving and evaluation can be tested on exact predictions.
/// </summary>
public sealed class ScriptedQualityRouterModel : RouterModel
{
    /// <summary>The manifest kind.</summary>
    public const string KindName = "scripted-quality";

    private const string ParametersEntry = "scripted-quality/parameters.json";

    private readonly SortedDictionary<string, float[]> _qualities;

    private ScriptedQualityRouterModel(RouterManifest manifest, float[] defaultQualities, IDictionary<string, float[]> qualities)
        : base(manifest, trainingPrompts: null)
    {
        DefaultQualities = defaultQualities;
        _qualities = new SortedDictionary<string, float[]>(qualities, StringComparer.Ordinal);
    }

    /// <summary>The qualities predicted for prompts without a <c>q=</c> prefix, one per model.</summary>
    public IReadOnlyList<float> DefaultQualities { get; }

    /// <summary>The qualities of whole prompts, one per model, which win over a <c>q=</c> prefix.</summary>
    public IReadOnlyDictionary<string, float[]> Qualities => _qualities;

    /// <inheritdoc/>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>Creates a scripted router over <paramref name="models"/> (the first is its strong model, the last its weak one).</summary>
    /// <param name="models">The models it predicts, in order.</param>
    /// <param name="defaultQualities">The qualities of prompts without a <c>q=</c> prefix, one per model.</param>
    /// <param name="qualities">The qualities of whole prompts, one per model; none when null.</param>
    public static ScriptedQualityRouterModel Create(IReadOnlyList<string> models, float[] defaultQualities, IReadOnlyDictionary<string, float[]>? qualities = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(models.Count, 2);
        ArgumentOutOfRangeException.ThrowIfNotEqual(defaultQualities.Length, models.Count);
        foreach (var (prompt, row) in qualities ?? new Dictionary<string, float[]>())
        {
            if (row.Length != models.Count)
            {
                throw new ArgumentException($"Prompt '{prompt}' has {row.Length} qualities for {models.Count} models.", nameof(qualities));
            }
        }

        return new(new RouterManifest
        {
            Kind = KindName,
            Assembly = typeof(ScriptedQualityRouterModel).Assembly.GetName().Name!,
            StrongModel = models[0],
            WeakModel = models[^1],
            Models = models,
        }, defaultQualities, qualities?.ToDictionary() ?? []);
    }

    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var count = Manifest.Models.Count;
        var quality = new float[prompts.Count * count];
        for (var p = 0; p < prompts.Count; p++)
        {
            QualitiesOf(prompts[p]).CopyTo(quality, p * count);
        }

        return new ModelPredictions(Manifest.Models, prompts.Count, quality);
    }

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        for (var p = 0; p < prompts.Count; p++)
        {
            destination[p] = QualitiesOf(prompts[p])[0];
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) => new ScriptedQualityRouterModel(manifest, [.. DefaultQualities], _qualities);

    /// <inheritdoc/>
    protected override void SaveContents(RouterZipWriter writer) => writer.WriteJson(ParametersEntry, new Parameters([.. DefaultQualities], _qualities));

    private float[] QualitiesOf(string prompt)
    {
        if (_qualities.TryGetValue(prompt, out var scripted))
        {
            return scripted;
        }

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

    private sealed record Parameters(float[] DefaultQualities, IDictionary<string, float[]> Qualities);

    /// <summary>Reads scripted quality routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            var parameters = reader.ReadJson<Parameters>(ParametersEntry);
            return new ScriptedQualityRouterModel(reader.Manifest, parameters.DefaultQualities, parameters.Qualities);
        }
    }
}
