using System.Globalization;

[assembly: RouteLLM.MLNet.Routers.RouterKind("difficulty", typeof(RouteLLM.MLNet.Routers.Difficulty.DifficultyRouterModel.Loader))]

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// A router on one shared per-prompt factor: model m's expected score on prompt p is
/// <c>clamp(μ_m + s · β_m · ê_p + t · n̂_m(p), 0, 1)</c>, where μ_m is its mean training score (what the zero router
/// knows), ê_p the prompt's ease (how much better than usual every model does on it) predicted from its embedding by
/// ridge regression, β_m how strongly model m follows the ease, n̂_m(p) what the outcomes of the prompt's near-duplicate
/// training twin say about model m, read through whether the twins list their lettered answer options in the same order
/// (0 without a twin), s the <see cref="DeviationWeight"/> and t the
/// <see cref="TwinWeight"/>. At s = t = 0 it predicts the per-model constants and costs alone, so weights chosen by
/// held-out routing quality need never do worse than mixing models blind.
/// </summary>
/// <remarks>
/// Its zip holds the training prompts' embeddings, the twins' deviations and regressions (<c>difficulty/twin_*.idv</c>)
/// and the fingerprints of the training prompts' answer options (<c>difficulty/answer_options.json</c>), <c>difficulty/models.idv</c> (μ_m, β_m per manifest model), <c>difficulty/ridge.idv</c> (the regression's
/// weights, then the training prompts' mean embedding), <c>difficulty/parameters.json</c> (s, t, the twin threshold, the
/// regression's intercept and penalty) and the learned per-call costs (<see cref="MultiModelQualities"/>).
/// </remarks>
public sealed class DifficultyRouterModel : RouterModel
{
    private const string ParametersEntry = "difficulty/parameters.json";
    private const string ModelsEntry = "difficulty/models.idv";
    private const string RidgeEntry = "difficulty/ridge.idv";

    private readonly float[] _means;
    private readonly float[] _loadings;
    private readonly RidgeRegression _ease;
    private readonly NeighbourOutcomes _twins;
    private readonly int _dimension;

    internal DifficultyRouterModel(
        RouterManifest manifest, PromptEmbeddings trainingPrompts, float[] means, float[] loadings, RidgeRegression ease,
        NeighbourOutcomes twins, (double Deviation, double Twin) weights, MultiModelQualities qualities)
        : base(manifest, trainingPrompts)
    {
        _twins = twins;
        TwinWeight = weights.Twin;
        _means = means;
        _loadings = loadings;
        _ease = ease;
        _dimension = ease.Weights.Length;
        DeviationWeight = weights.Deviation;
        Qualities = qualities;
    }

    /// <summary>s: how far the predicted ease moves each model from its mean (0: the per-model constants alone).</summary>
    public double DeviationWeight { get; }

    /// <summary>t: how far a near-duplicate training twin's outcomes move each model (0: twins ignored).</summary>
    public double TwinWeight { get; }

    /// <summary>The least cosine similarity at which a training prompt counts as a prompt's twin.</summary>
    public double TwinSimilarity => _twins.Threshold;

    /// <summary>The learned per-call costs (qualities are expected scores of each model alone).</summary>
    public MultiModelQualities Qualities { get; }

    /// <summary>Every model the router was trained on, in manifest order.</summary>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>μ_m: model <paramref name="model"/>'s mean training score.</summary>
    /// <param name="model">A manifest model.</param>
    public double MeanScore(string model) => _means[IndexOf(model)];

    /// <summary>β_m: how much model <paramref name="model"/>'s score moves per unit of a prompt's ease.</summary>
    /// <param name="model">A manifest model.</param>
    public double Loading(string model) => _loadings[IndexOf(model)];

    /// <summary>ê: the predicted ease of a prompt with this embedding (0 for a prompt of typical difficulty).</summary>
    /// <param name="embedding">The prompt's embedding, from the manifest's embedder.</param>
    /// <exception cref="ArgumentException">The embedding has the wrong length.</exception>
    public double PredictEase(ReadOnlySpan<float> embedding) => embedding.Length == _dimension
        ? _ease.Predict(embedding)
        : throw new ArgumentException($"The embedding has {embedding.Length} values; the router's embedder has dimension {_dimension}.", nameof(embedding));

    /// <summary>The same router with another <see cref="DeviationWeight"/> and <see cref="TwinWeight"/>; nothing is retrained.</summary>
    /// <param name="deviationWeight">s, finite and ≥ 0.</param>
    /// <param name="twinWeight">t, finite and ≥ 0.</param>
    public DifficultyRouterModel WithWeights(double deviationWeight, double twinWeight)
    {
        DifficultyRouterTrainer.CheckWeight(deviationWeight);
        DifficultyRouterTrainer.CheckWeight(twinWeight);
        var options = new SortedDictionary<string, string>(Manifest.TrainingOptions.ToDictionary(), StringComparer.Ordinal)
        {
            [nameof(DifficultyRouterTrainer.Options.DeviationWeight)] = deviationWeight.ToString(CultureInfo.InvariantCulture),
            [nameof(DifficultyRouterTrainer.Options.TwinWeight)] = twinWeight.ToString(CultureInfo.InvariantCulture),
        };
        return new(Manifest with { TrainingOptions = options }, TrainingPrompts!, _means, _loadings, _ease, _twins, (deviationWeight, twinWeight), Qualities);
    }

    /// <summary>P(strong wins) of the pair as the chance the strong model scores above the weak one, ties halved: ½ + (q_strong − q_weak) / 2.</summary>
    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var (strong, weak) = (IndexOf(Manifest.StrongModel), IndexOf(Manifest.WeakModel));
        var row = new double[_means.Length];
        for (var i = 0; i < prompts.Count; i++)
        {
            Predict(prompts[i], embeddings.Slice(i * _dimension, _dimension), row);
            destination[i] = (float)(0.5 + (row[strong] - row[weak]) / 2);
        }
    }

    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var models = _means.Length;
        var quality = new float[prompts.Count * models];
        var row = new double[models];
        for (var i = 0; i < prompts.Count; i++)
        {
            Predict(prompts[i], embeddings.Slice(i * _dimension, _dimension), row);
            for (var m = 0; m < models; m++)
            {
                quality[i * models + m] = (float)row[m];
            }
        }

        return new ModelPredictions(Manifest.Models, prompts.Count, quality, Qualities.PredictCosts(prompts));
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) =>
        new DifficultyRouterModel(manifest, TrainingPrompts!, _means, _loadings, _ease, _twins, (DeviationWeight, TwinWeight), Qualities);

    /// <inheritdoc/>
    protected internal override void SaveContents(RouterZipWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteJson(ParametersEntry, new Parameters(DeviationWeight, TwinWeight, TwinSimilarity, _ease.Intercept, _ease.Penalty));
        writer.WriteMatrix(ModelsEntry, [.. _means.Zip(_loadings).SelectMany(p => new[] { p.First, p.Second })], _means.Length, 2);
        writer.WriteMatrix(RidgeEntry, [.. _ease.Weights, .. _ease.Mean], 2, _dimension);
        _twins.Save(writer);
        Qualities.Save(writer);
    }

    private void Predict(string prompt, ReadOnlySpan<float> embedding, Span<double> quality)
    {
        var ease = _ease.Predict(embedding);
        for (var m = 0; m < quality.Length; m++)
        {
            quality[m] = _means[m] + DeviationWeight * _loadings[m] * ease;
        }

        _twins.AddDeviations(embedding, prompt, TwinWeight, quality);
        for (var m = 0; m < quality.Length; m++)
        {
            quality[m] = Math.Clamp(quality[m], 0, 1);
        }
    }

    private int IndexOf(string model)
    {
        var index = Manifest.Models.ToList().IndexOf(model);
        return index >= 0 ? index : throw new ArgumentException($"Router 'difficulty' was not trained on model '{model}'.", nameof(model));
    }

    private sealed record Parameters(double DeviationWeight, double TwinWeight, double TwinSimilarity, float Intercept, double Penalty);

    /// <summary>Reads difficulty routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var parameters = reader.ReadJson<Parameters>(ParametersEntry);
            if (!(parameters.DeviationWeight >= 0 && double.IsFinite(parameters.DeviationWeight)) || !(parameters.TwinWeight >= 0 && double.IsFinite(parameters.TwinWeight))
                || !(parameters.TwinSimilarity is > 0 and < NeighbourOutcomes.SamePromptSimilarity) || !float.IsFinite(parameters.Intercept))
            {
                throw reader.Error($"{ParametersEntry}: weights {parameters.DeviationWeight} and {parameters.TwinWeight} must be finite and ≥ 0, twin similarity {parameters.TwinSimilarity} in (0, {NeighbourOutcomes.SamePromptSimilarity}), intercept {parameters.Intercept} finite");
            }

            var embedder = reader.Manifest.Embedder ?? throw reader.Error("a difficulty router needs the manifest's embedder");
            var models = reader.ReadMatrix(ModelsEntry, out var rows, out var columns);
            if (rows != reader.Manifest.Models.Count || columns != 2 || models.Any(v => !float.IsFinite(v)))
            {
                throw reader.Error($"{ModelsEntry}: {rows}×{columns} finite values, expected {reader.Manifest.Models.Count}×2");
            }

            var ridge = reader.ReadMatrix(RidgeEntry, out rows, out columns);
            if (rows != 2 || columns != embedder.Dimension || ridge.Any(v => !float.IsFinite(v)))
            {
                throw reader.Error($"{RidgeEntry}: {rows}×{columns} finite values, expected 2×{embedder.Dimension}");
            }

            var ease = RidgeRegression.FromParameters(ridge[..columns], ridge[columns..], parameters.Intercept, parameters.Penalty);
            var prompts = reader.ReadTrainingPrompts() ?? throw reader.Error($"a difficulty router needs its training prompts ({RouterZip.TrainingPromptsEntry})");
            return new DifficultyRouterModel(
                reader.Manifest, prompts, [.. models.Where((_, i) => i % 2 == 0)], [.. models.Where((_, i) => i % 2 == 1)], ease,
                NeighbourOutcomes.Load(reader, prompts, parameters.TwinSimilarity), (parameters.DeviationWeight, parameters.TwinWeight), MultiModelQualities.Load(reader));
        }
    }
}
