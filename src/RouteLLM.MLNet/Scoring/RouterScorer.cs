using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Scoring;

/// <summary>
/// Scores prompts with any router zip: embeds them when the router reads embeddings, then asks the router for
/// P(strong model wins). Thread-safe: the router is immutable and embedders are safe to share.
/// </summary>
public sealed class RouterScorer : IDisposable
{
    private readonly bool _ownsEmbedder;

    /// <summary>Creates a scorer for a loaded router.</summary>
    /// <param name="model">The router.</param>
    /// <param name="embedder">
    /// The embedder the router was trained with; required when <see cref="RouterManifest.Embedder"/> is set, and must
    /// report the same id and dimension.
    /// </param>
    /// <exception cref="ArgumentException">The router needs an embedder and none, or another one, was given.</exception>
    public RouterScorer(RouterModel model, IEmbeddingGenerator<string, Embedding<float>>? embedder = null)
        : this(model, embedder, ownsEmbedder: false)
    {
    }

    private RouterScorer(RouterModel model, IEmbeddingGenerator<string, Embedding<float>>? embedder, bool ownsEmbedder)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Manifest.Embedder is { } expected)
        {
            if (embedder is null)
            {
                throw new ArgumentException(
                    $"Router '{model.Manifest.Kind}' reads embeddings from '{expected.Id}' ({expected.Dimension}); pass that embedder.",
                    nameof(embedder));
            }

            var actual = EmbedderInfo.From(embedder);
            if (actual != expected)
            {
                throw new ArgumentException(
                    $"Router '{model.Manifest.Kind}' was trained on embeddings from '{expected.Id}' ({expected.Dimension}), " +
                    $"but the embedder given is '{actual.Id}' ({actual.Dimension}).",
                    nameof(embedder));
            }
        }

        Model = model;
        Embedder = model.Manifest.Embedder is null ? null : embedder;
        _ownsEmbedder = ownsEmbedder;
    }

    /// <summary>The router.</summary>
    public RouterModel Model { get; }

    /// <summary>
    /// Loads a router zip of any kind. When the router reads embeddings and no <paramref name="embedder"/> is given,
    /// creates the local embedder its manifest names (<see cref="LocalEmbedders"/>) behind the persistent cache
    /// (<see cref="DiskCachingEmbeddingGenerator"/>, default directory); the scorer then owns and disposes it.
    /// </summary>
    /// <param name="path">The router zip.</param>
    /// <param name="embedder">The embedder the router was trained with, or null for the local one its manifest names.</param>
    /// <exception cref="RouterFormatException">The file is not a usable router zip.</exception>
    /// <exception cref="ArgumentException">The router's embedder is not a local one and none was given, or another one was given.</exception>
    public static RouterScorer Load(string path, IEmbeddingGenerator<string, Embedding<float>>? embedder = null)
    {
        var model = RouterZip.Load(path);
        if (model.Manifest.Embedder is not { } needed || embedder is not null)
        {
            return new RouterScorer(model, embedder);
        }

        if (!LocalEmbedders.IsKnown(needed))
        {
            throw new ArgumentException(
                $"{path}: router '{model.Manifest.Kind}' reads embeddings from '{needed.Id}' ({needed.Dimension}), which is not a local embedder; pass that embedder.",
                nameof(embedder));
        }

        var cached = LocalEmbedders.CreateCached(needed);
        try
        {
            return new RouterScorer(model, cached, ownsEmbedder: true);
        }
        catch
        {
            cached.Dispose();
            throw;
        }
    }

    /// <summary>The embedder used, or null when the router reads no embeddings.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; }

    /// <summary>P(strong model wins) for one prompt.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    public async Task<float> StrongWinRateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var rates = await StrongWinRatesAsync([prompt], cancellationToken).ConfigureAwait(false);
        return rates[0];
    }

    /// <summary>P(strong model wins) for each prompt of a batch (embedded in one call).</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    public async Task<float[]> StrongWinRatesAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var rates = new float[prompts.Count];
        if (prompts.Count == 0)
        {
            return rates;
        }

        Model.CalculateStrongWinRates(prompts, await EmbedAsync(prompts, cancellationToken).ConfigureAwait(false), rates);
        return rates;
    }

    /// <summary>
    /// P(strong model wins) for each of many prompts, embedded <paramref name="batchSize"/> at a time so that a long
    /// file neither holds all its embeddings at once nor goes without progress.
    /// </summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="batchSize">Prompts per embedding call (≥ 1).</param>
    /// <param name="progress">Told the number of prompts scored so far after each batch; optional.</param>
    /// <param name="cancellationToken">Cancels between and within embedding calls.</param>
    public async Task<float[]> StrongWinRatesAsync(
        IReadOnlyList<string> prompts, int batchSize, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rates = new float[prompts.Count];
        var start = 0;
        foreach (var batch in prompts.Chunk(batchSize))
        {
            (await StrongWinRatesAsync(batch, cancellationToken).ConfigureAwait(false)).CopyTo(rates, start);
            start += batch.Length;
            progress?.Report(start);
        }

        return rates;
    }

    /// <summary>Each model's predicted quality (and cost, where the router learned costs) for each prompt of a batch.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="cancellationToken">Cancels the embedding call.</param>
    public async Task<ModelPredictions> PredictQualitiesAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return Model.PredictQualities(prompts, await EmbedAsync(prompts, cancellationToken).ConfigureAwait(false));
    }

    private async Task<float[]> EmbedAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken) =>
        Embedder is null
            ? []
            : (await EmbeddedTexts.EmbedAsync(Embedder, prompts, Model.Manifest.Embedder!.Dimension, cancellationToken).ConfigureAwait(false)).Values;

    /// <summary>Disposes the embedder if <see cref="Load"/> created it; an embedder passed in stays the caller's.</summary>
    public void Dispose()
    {
        if (_ownsEmbedder)
        {
            Embedder?.Dispose();
        }
    }
}
