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
        var lookup = new Lookup(router, text);
        var rate = await cache.GetOrCreateAsync(
            KeyOf("decision", router, text),
            lookup,
            static async (state, token) =>
            {
                state.Missed = true;
                return await state.Router.Scorer.StrongWinRateAsync(state.Text, token).ConfigureAwait(false);
            },
            _entry,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        metrics.CacheLookup(hit: !lookup.Missed);
        return new RoutingDecision(router, rate, resolved);
    }

    /// <summary>
    /// The router's predicted quality (and learned cost) of every model for <paramref name="text"/>, scored only when no
    /// replica has: what a policy name ranks, with its own policy, allowed models and prices, at each request.
    /// </summary>
    public async ValueTask<ModelPredictions> PredictAsync(PooledRouter router, string text, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(router, text);
        var row = await cache.GetOrCreateAsync(
            KeyOf("qualities", router, text),
            lookup,
            static async (state, token) =>
            {
                state.Missed = true;
                var predictions = await state.Router.Scorer.PredictQualitiesAsync([state.Text], token).ConfigureAwait(false);
                return new PredictedRow(predictions.Quality, predictions.CostUsd);
            },
            _entry,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        metrics.CacheLookup(hit: !lookup.Missed);
        return new ModelPredictions(router.Scorer.Model.QualityModels, 1, row.Quality, row.CostUsd);
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

    private sealed class Lookup(PooledRouter router, string text)
    {
        public PooledRouter Router { get; } = router;

        public string Text { get; } = text;

        public bool Missed { get; set; }
    }
}
