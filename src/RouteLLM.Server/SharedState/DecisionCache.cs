using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.Telemetry;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// Routing decisions cached by HybridCache: in memory, and in Redis when it is configured, so that a text one replica
/// has scored is not embedded again by any. The key holds the embedder's id, the router zip's SHA-256 (the same
/// router file on every replica) and the text's SHA-256; the value is the router's P(strong wins), compared with the
/// threshold in force at each request.
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
            KeyOf(router, text),
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

    private string KeyOf(PooledRouter router, string text)
    {
        var embedder = router.Scorer.Model.Manifest.Embedder?.Id ?? "none";
        var fingerprint = _fingerprints.GetValue(router, static r => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(r.Path)))[..32]);
        var textHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return $"decision:{embedder}:{fingerprint}:{textHash}";
    }

    private sealed class Lookup(PooledRouter router, string text)
    {
        public PooledRouter Router { get; } = router;

        public string Text { get; } = text;

        public bool Missed { get; set; }
    }
}
