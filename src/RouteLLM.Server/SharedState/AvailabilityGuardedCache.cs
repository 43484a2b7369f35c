using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// The Redis distributed cache behind HybridCache, skipped while Redis is unreachable: a miss instead of a command
/// that would wait for its timeout, so that requests keep the speed of the in-memory level during an outage. Without
/// a configured Redis (<paramref name="redis"/> null) every read misses and every write is dropped.
/// </summary>
internal sealed class AvailabilityGuardedCache(IDistributedCache? redis, SharedRedis connection) : IDistributedCache
{
    public byte[]? Get(string key) => Guard(cache => cache.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(cache => cache.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(cache =>
    {
        cache.Set(key, value, options);
        return null;
    });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async cache =>
        {
            await cache.SetAsync(key, value, options, token).ConfigureAwait(false);
            return null;
        });

    public void Refresh(string key) => Guard(cache =>
    {
        cache.Refresh(key);
        return null;
    });

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(async cache =>
        {
            await cache.RefreshAsync(key, token).ConfigureAwait(false);
            return null;
        });

    public void Remove(string key) => Guard(cache =>
    {
        cache.Remove(key);
        return null;
    });

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(async cache =>
        {
            await cache.RemoveAsync(key, token).ConfigureAwait(false);
            return null;
        });

    private byte[]? Guard(Func<IDistributedCache, byte[]?> action)
    {
        if (redis is null || !connection.IsAvailable)
        {
            return null;
        }

        try
        {
            return action(redis);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private async Task<byte[]?> GuardAsync(Func<IDistributedCache, Task<byte[]?>> action)
    {
        if (redis is null || !connection.IsAvailable)
        {
            return null;
        }

        try
        {
            return await action(redis).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }
}
