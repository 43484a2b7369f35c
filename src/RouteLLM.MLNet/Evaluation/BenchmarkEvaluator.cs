using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// Evaluates a router on a benchmark exactly as RouteLLM's <c>evaluate.py</c> does, with the random and oracle
/// baselines and bootstrap confidence intervals. Before scoring it drops the benchmark's RouteLLM contamination list
/// and every prompt whose embedding is within <see cref="EvaluationOptions.NearTrainingCosine"/> of a prompt the router
/// was trained on. Prompts are embedded once, for that check and for scoring alike.
/// </summary>
public sealed class BenchmarkEvaluator
{
    private const int EmbeddingBatch = 256;
    private const int ScoringBatch = 1024;

    private readonly RouterModel _router;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embedder;
    private readonly int _dimension;
    private readonly EvaluationOptions _options;

    /// <summary>Creates an evaluator for one router.</summary>
    /// <param name="router">The router to evaluate.</param>
    /// <param name="embedder">
    /// The embedder the router reads (<see cref="RouterManifest.Embedder"/>) and its training prompts were embedded with
    /// (<see cref="RouterManifest.TrainingPromptsEmbedder"/>); required when either is set, ignored otherwise.
    /// </param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="ArgumentException">The embedder is missing or is not the one the router needs.</exception>
    public BenchmarkEvaluator(RouterModel router, IEmbeddingGenerator<string, Embedding<float>>? embedder = null, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(router);
        _options = options ?? new EvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.NearTrainingCosine, 0, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.NearTrainingCosine, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.RandomSeeds, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BootstrapResamples, 2, nameof(options));

        var needed = new[] { router.Manifest.Embedder, router.TrainingPrompts?.Embedder }.OfType<EmbedderInfo>().Distinct().ToArray();
        if (needed.Length > 1)
        {
            throw new ArgumentException(
                $"Router '{router.Manifest.Kind}' reads embeddings from '{needed[0].Id}' but its training prompts were embedded with " +
                $"'{needed[1].Id}'; an evaluation embeds the benchmark once, with one embedder.", nameof(router));
        }

        if (needed.Length == 1)
        {
            if (embedder is null)
            {
                throw new ArgumentException(
                    $"Router '{router.Manifest.Kind}' needs benchmark prompts embedded with '{needed[0].Id}' ({needed[0].Dimension}); pass that embedder.",
                    nameof(embedder));
            }

            var actual = EmbedderInfo.From(embedder);
            if (actual != needed[0])
            {
                throw new ArgumentException(
                    $"Router '{router.Manifest.Kind}' needs embeddings from '{needed[0].Id}' ({needed[0].Dimension}), " +
                    $"but the embedder given is '{actual.Id}' ({actual.Dimension}).",
                    nameof(embedder));
            }
        }

        _router = router;
        _embedder = needed.Length == 1 ? embedder : null;
        _dimension = needed.Length == 1 ? needed[0].Dimension : 0;
    }

    /// <summary>Evaluates the router on <paramref name="benchmark"/>, scoring the benchmark's strong/weak pair.</summary>
    /// <param name="benchmark">The benchmark as loaded (nothing dropped yet).</param>
    /// <param name="progress">Receives progress of embedding and scoring; may be null.</param>
    /// <param name="cancellationToken">Cancels embedding and scoring.</param>
    /// <exception cref="ArgumentException">The router was not trained on the benchmark's models.</exception>
    /// <exception cref="InvalidOperationException">
    /// No prompt is left after the drops, or both models have the same mean quality on the prompts left, which leaves
    /// PGR undefined.
    /// </exception>
    public async Task<BenchmarkEvaluation> EvaluateAsync(
        BenchmarkData benchmark, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var router = _router.WithModels(benchmark.StrongModel, benchmark.WeakModel);
        var unlisted = benchmark.Prompts.Where(p => !benchmark.ContaminatedPrompts.Contains(p.Prompt)).ToArray();
        var embeddings = _embedder is null ? [] : await EmbedAsync(unlisted, progress, cancellationToken).ConfigureAwait(false);
        var near = router.TrainingPrompts is { } training
            ? TrainingOverlap.Find(training, embeddings, _options.NearTrainingCosine)
            : new bool[unlisted.Length];

        var kept = Enumerable.Range(0, unlisted.Length).Where(i => !near[i]).ToArray();
        var prompts = kept.Select(i => unlisted[i]).ToArray();
        var dropped = new DroppedPrompts(benchmark.Prompts.Count - unlisted.Length, unlisted.Length - kept.Length);
        var strongQuality = prompts.Sum(p => p.StrongQuality) / prompts.Length;
        var weakQuality = prompts.Sum(p => p.WeakQuality) / prompts.Length;
        if (prompts.Length == 0 || strongQuality == weakQuality)
        {
            throw new InvalidOperationException(
                $"Benchmark '{benchmark.Name}' cannot be evaluated: {prompts.Length} prompts left after dropping {dropped.ContaminatedList} listed " +
                $"and {dropped.NearTraining} near-training ones" +
                (prompts.Length == 0 ? "." : $", and on them both models have the same mean quality ({strongQuality:R}), so PGR is undefined."));
        }

        var keptEmbeddings = router.Manifest.Embedder is null ? [] : Rows(embeddings, _dimension, kept);
        var scores = Score(router, prompts, keptEmbeddings, progress, cancellationToken);
        var curve = RoutingMetrics.Curve(scores, prompts);
        var intervals = RoutingMetrics.Bootstrap(scores, prompts, _options.BootstrapResamples, _options.BootstrapSeed);
        var random = RoutingMetrics.RandomRouterCurve(prompts, _options.RandomSeeds);
        var oracle = RoutingMetrics.Oracle(prompts);
        return new BenchmarkEvaluation
        {
            Router = _options.RouterName ?? router.Manifest.Kind,
            RouterFile = _options.RouterFile,
            Benchmark = benchmark.Name,
            Prompts = prompts.Length,
            Dropped = dropped,
            StrongModel = benchmark.StrongModel,
            WeakModel = benchmark.WeakModel,
            StrongQuality = strongQuality,
            WeakQuality = weakQuality,
            Apgr = RoutingMetrics.Apgr(curve),
            ApgrCi95 = intervals.Apgr,
            Cpt = CallPerformanceThresholds.Of(curve),
            Cpt50Ci95 = intervals.Cpt50,
            Points = curve,
            RandomApgr = RoutingMetrics.Apgr(random),
            OracleApgr = RoutingMetrics.Apgr(oracle),
            RandomPoints = random,
            OraclePoints = oracle,
        };
    }

    private async Task<float[]> EmbedAsync(BenchmarkPrompt[] prompts, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var embeddings = new float[prompts.Length * _dimension];
        for (var start = 0; start < prompts.Length; start += EmbeddingBatch)
        {
            var batch = prompts.Skip(start).Take(EmbeddingBatch).Select(p => p.Prompt).ToArray();
            var embedded = await EmbeddedTexts.EmbedAsync(_embedder!, batch, _dimension, cancellationToken).ConfigureAwait(false);
            embedded.Values.CopyTo(embeddings.AsSpan(start * _dimension));
            progress?.Report(new EvaluationProgress(EvaluationStage.Embedding, start + batch.Length, prompts.Length));
        }

        return embeddings;
    }

    private static float[] Score(
        RouterModel router, BenchmarkPrompt[] prompts, float[] embeddings, IProgress<EvaluationProgress>? progress, CancellationToken cancellationToken)
    {
        var dimension = router.Manifest.Embedder?.Dimension ?? 0;
        var scores = new float[prompts.Length];
        for (var start = 0; start < prompts.Length; start += ScoringBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(ScoringBatch, prompts.Length - start);
            var batch = prompts.Skip(start).Take(length).Select(p => p.Prompt).ToArray();
            router.CalculateStrongWinRates(batch, embeddings.AsSpan(start * dimension, length * dimension), scores.AsSpan(start, length));
            progress?.Report(new EvaluationProgress(EvaluationStage.Scoring, start + length, prompts.Length));
        }

        return scores;
    }

    private static float[] Rows(float[] values, int dimension, int[] rows)
    {
        var selected = new float[rows.Length * dimension];
        for (var i = 0; i < rows.Length; i++)
        {
            values.AsSpan(rows[i] * dimension, dimension).CopyTo(selected.AsSpan(i * dimension));
        }

        return selected;
    }
}
