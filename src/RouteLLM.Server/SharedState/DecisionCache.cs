using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.MLNet.Routers;
using RouteLLM.Server.Telemetry;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// Routing decisions cached by HybridCache: in memory, and in Redis when it is configured, so that a text one replica
/// has scored is not embedded again by any. The key holds the embedder's id, the router zip's SHA-256 (the same
/// router file on every replica) and the text's SHA-256; the value is the router's P(strong wins), compared with the
/// threshold in force at each request, or for policy names every model's predicted quality, ranked by the request's policy.
/// </summary>
internal sealed class DecisionCache(HybridCache cache, ScaleOutMetrics metrics, IOptions<RedisOptions> options)
{
    private readonly ConditionalWeakTable<PooledRouter, string> _fingerprints = [];
    private readonly HybridCacheEntryOptions _entry = new()
    {
        Expiration = options.Value.CacheDuration,
        LocalCacheExpiration = options.Value.CacheDuration < TimeSpan.FromMinutes(5) ? options.Value.CacheDuration : TimeSpan.FromMinutes(5),
    };

    /// <summary>Routes <paramref name="text"/> with <paramref name="router"/>, scoring it only when no replica has.</summary>
    /// <exception cref="InvalidOperationException">A share was asked for and the router has no calibration prompts.</exception>
    public async ValueTask<RoutingDecision> RouteAsync(PooledRouter router, string text, RoutingThreshold threshold, CancellationToken cancellationToken)
    {
        var resolved = router.ResolveThreshold(threshold);
        var rate = await GetOrScoreAsync(
            "decision", router, text, static (router, text, token) => new ValueTask<float>(router.Scorer.StrongWinRateAsync(text, token)), cancellationToken).ConfigureAwait(false);
        return new RoutingDecision(router, rate, resolved);
    }

    /// <summary>
    /// The router's predicted quality (and learned cost) of every model for <paramref name="text"/>, scored only when no
    /// replica has: what a policy name ranks, with its own policy, allowed models and prices, at each request.
    /// </summary>
    public async ValueTask<ModelPredictions> PredictAsync(PooledRouter router, string text, CancellationToken cancellationToken)
    {
        var row = await GetOrScoreAsync(
            "qualities",
            router,
            text,
            static async (router, text, token) =>
            {
                var predictions = await router.Scorer.PredictQualitiesAsync([text], token).ConfigureAwait(false);
                return new PredictedRow(predictions.Quality, predictions.CostUsd);
            },
            cancellationToken).ConfigureAwait(false);
        return new ModelPredictions(router.Scorer.Model.QualityModels, 1, row.Quality, row.CostUsd);
    }

    private async ValueTask<T> GetOrScoreAsync<T>(
        string kind, PooledRouter router, string text, Func<PooledRouter, string, CancellationToken, ValueTask<T>> score, CancellationToken cancellationToken)
    {
        var lookup = new Lookup<T>(router, text, score);
        var value = await cache.GetOrCreateAsync(
            KeyOf(kind, router, text),
            lookup,
            static (state, token) =>
            {
                state.Missed = true;
                return state.Score(state.Router, state.Text, token);
            },
            _entry,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        metrics.CacheLookup(hit: !lookup.Missed);
        return value;
    }

    private string KeyOf(string kind, PooledRouter router, string text)
    {
        var embedder = router.Scorer.Model.Manifest.Embedder?.Id ?? "none";
        var fingerprint = _fingerprints.GetValue(router, static r => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(r.Path)))[..32]);
        var textHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return $"{kind}:{embedder}:{fingerprint}:{textHash}";
    }

    /// <summary>One prompt's predictions as the cache stores them; the model names are the router zip's, which the key fixes.</summary>
    internal sealed record PredictedRow(float[] Quality, double[]? CostUsd);

    private sealed class Lookup<T>(PooledRouter router, string text, Func<PooledRouter, string, CancellationToken, ValueTask<T>> score)
    {
        public PooledRouter Router { get; } = router;

        public string Text { get; } = text;

        public Func<PooledRouter, string, CancellationToken, ValueTask<T>> Score { get; } = score;

        public bool Missed { get; set; }
    }
}
