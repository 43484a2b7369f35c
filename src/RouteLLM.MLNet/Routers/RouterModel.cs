namespace RouteLLM.MLNet.Routers;

/// <summary>
/// A trained router: RouteLLM's one contract, <c>calculate_strong_win_rate</c>, for every kind of router.
/// Instances are immutable and safe to share between threads.
/// </summary>
public abstract class RouterModel
{
    /// <summary>Initialises the model with its manifest.</summary>
    /// <param name="manifest">What the router is and what it was trained on.</param>
    /// <param name="trainingPrompts">Embeddings of the distinct training prompts, if the router keeps them.</param>
    protected RouterModel(RouterManifest manifest, PromptEmbeddings? trainingPrompts)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Manifest = manifest;
        TrainingPrompts = trainingPrompts;
    }

    /// <summary>What the router is, what it was trained on and which model pair it scores.</summary>
    public RouterManifest Manifest { get; }

    /// <summary>
    /// Embeddings of the distinct prompts the router was trained on (saved in the zip), used to drop benchmark prompts
    /// the router has nearly seen; null when the router does not keep them.
    /// </summary>
    public PromptEmbeddings? TrainingPrompts { get; }

    /// <summary>
    /// Writes P(strong model wins | prompt) for each prompt into <paramref name="destination"/>.
    /// </summary>
    /// <param name="prompts">The prompts to score.</param>
    /// <param name="embeddings">
    /// Row-major prompt embeddings, <c>prompts.Count × Manifest.Embedder.Dimension</c>, from the embedder named in
    /// the manifest; empty when <see cref="RouterManifest.Embedder"/> is null.
    /// </param>
    /// <param name="destination">One slot per prompt.</param>
    public void CalculateStrongWinRates(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (destination.Length != prompts.Count)
        {
            throw new ArgumentException($"Destination has {destination.Length} slots for {prompts.Count} prompts.", nameof(destination));
        }

        var expected = Manifest.Embedder is { } embedder ? prompts.Count * embedder.Dimension : 0;
        if (embeddings.Length != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} embedding values ({prompts.Count} prompts × {Manifest.Embedder?.Dimension ?? 0}), got {embeddings.Length}.",
                nameof(embeddings));
        }

        CalculateStrongWinRatesCore(prompts, embeddings, destination);
    }

    /// <summary>
    /// The models whose quality <see cref="PredictQualities"/> predicts, in column order. A router that learned only a
    /// strong/weak pair predicts <c>[StrongModel, WeakModel]</c>.
    /// </summary>
    public virtual IReadOnlyList<string> QualityModels => [Manifest.StrongModel, Manifest.WeakModel];

    /// <summary>
    /// Predicts every model of <see cref="QualityModels"/> for each prompt: its expected quality, and its expected cost
    /// where the router learned costs.
    /// </summary>
    /// <param name="prompts">The prompts to score.</param>
    /// <param name="embeddings">Row-major prompt embeddings, as for <see cref="CalculateStrongWinRates"/>.</param>
    public ModelPredictions PredictQualities(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var expected = Manifest.Embedder is { } embedder ? prompts.Count * embedder.Dimension : 0;
        if (embeddings.Length != expected)
        {
            throw new ArgumentException(
                $"Expected {expected} embedding values ({prompts.Count} prompts × {Manifest.Embedder?.Dimension ?? 0}), got {embeddings.Length}.",
                nameof(embeddings));
        }

        return PredictQualitiesCore(prompts, embeddings);
    }

    /// <summary>
    /// Predicts qualities for a batch whose arguments <see cref="PredictQualities"/> has checked. The default, for a
    /// pair router, is P(strong wins) for the strong model and its complement for the weak one, with no costs.
    /// </summary>
    /// <param name="prompts">The prompts to score.</param>
    /// <param name="embeddings">Row-major embeddings, or empty when the router reads none.</param>
    protected virtual ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var rates = new float[prompts.Count];
        CalculateStrongWinRatesCore(prompts, embeddings, rates);
        var quality = new float[prompts.Count * 2];
        for (var i = 0; i < rates.Length; i++)
        {
            quality[2 * i] = rates[i];
            quality[(2 * i) + 1] = 1 - rates[i];
        }

        return new ModelPredictions([Manifest.StrongModel, Manifest.WeakModel], prompts.Count, quality);
    }

    /// <summary>
    /// Returns this router scoring another pair of the models it was trained on, without retraining.
    /// </summary>
    /// <param name="strongModel">The model whose win rate is reported.</param>
    /// <param name="weakModel">The model it is compared against.</param>
    /// <exception cref="ArgumentException">A model was not seen in training, or the router cannot re-pair.</exception>
    public RouterModel WithModels(string strongModel, string weakModel)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(strongModel);
        ArgumentException.ThrowIfNullOrWhiteSpace(weakModel);
        if (strongModel == Manifest.StrongModel && weakModel == Manifest.WeakModel)
        {
            return this;
        }

        foreach (var model in new[] { strongModel, weakModel })
        {
            if (!Manifest.Models.Contains(model))
            {
                throw new ArgumentException(
                    $"Router '{Manifest.Kind}' was not trained on model '{model}'. Known models: {string.Join(", ", Manifest.Models)}.");
            }
        }

        return WithModelsCore(Manifest with { StrongModel = strongModel, WeakModel = weakModel });
    }

    /// <summary>
    /// Returns this router with <paramref name="metrics"/> added to its manifest's training metrics (replacing any of
    /// the same name), e.g. the cross-validation scores of the model selection that chose its training data.
    /// </summary>
    /// <param name="metrics">Metrics to record; NaN is not allowed (JSON cannot hold it).</param>
    public RouterModel WithTrainingMetrics(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var merged = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in Manifest.TrainingMetrics.Concat(metrics))
        {
            merged[name] = double.IsFinite(value) ? value : throw new ArgumentException($"Metric '{name}' is {value}; JSON holds only finite numbers.", nameof(metrics));
        }

        return WithModelsCore(Manifest with { TrainingMetrics = merged });
    }

    /// <summary>
    /// Returns this router with <paramref name="options"/> added to its manifest's training options (replacing any of
    /// the same name), e.g. the candidates a model selection tried before training it.
    /// </summary>
    /// <param name="options">Option names and their values as text.</param>
    public RouterModel WithTrainingOptions(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Manifest.TrainingOptions.Concat(options))
        {
            merged[name] = value ?? throw new ArgumentException($"Option '{name}' has no value.", nameof(options));
        }

        return WithModelsCore(Manifest with { TrainingOptions = merged });
    }

    /// <summary>Scores a batch whose arguments <see cref="CalculateStrongWinRates"/> has already checked.</summary>
    /// <param name="prompts">The prompts to score.</param>
    /// <param name="embeddings">Row-major embeddings, or empty when the router reads none.</param>
    /// <param name="destination">One slot per prompt.</param>
    protected abstract void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination);

    /// <summary>Creates the same router with another manifest (whose model pair has been checked).</summary>
    /// <param name="manifest">The manifest with the new strong/weak pair.</param>
    protected abstract RouterModel WithModelsCore(RouterManifest manifest);

    /// <summary>Writes the router's parameters as named entries; the manifest is written by <see cref="RouterZip"/>.</summary>
    /// <param name="writer">The zip being written.</param>
    protected internal abstract void SaveContents(RouterZipWriter writer);
}
