using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RouteLLM.Server.Telemetry;
using StackExchange.Redis;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// LiteLLM's cool-downs: an upstream that failed <see cref="RedisOptions.CooldownFailures"/> times within
/// <see cref="RedisOptions.CooldownWindow"/>, or answered with <c>Retry-After</c>, is skipped by every replica for
/// <see cref="RedisOptions.CooldownPeriod"/> (or for as long as it asked). Kept in Redis when it is reachable, else in
/// this replica's memory.
/// </summary>
internal sealed class UpstreamCooldowns(SharedRedis redis, IOptions<RedisOptions> options, TimeProvider time, ScaleOutMetrics metrics)
{
    // KEYS: failure counter, cool-down flag. ARGV: window ms, failures, Retry-After ms (0: none), period ms.
    private const string FailureScript = """
        if tonumber(ARGV[3]) > 0 then
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
          redis.call('DEL', KEYS[1])
          return 1
        end
        local failures = redis.call('INCR', KEYS[1])
        if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        if failures >= tonumber(ARGV[2]) then
          redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """;

    private readonly RedisOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, LocalState> _local = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="upstream"/> is cooling down now.</summary>
    public async Task<bool> IsCoolingDownAsync(string upstream)
    {
        if (redis.Database is { } database)
        {
            try
            {
                return await database.KeyExistsAsync(redis.Key(CooldownKey(upstream))).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Fall back to what this replica knows.
            }
        }

        return _local.TryGetValue(upstream, out var state) && state.CoolingUntil > time.GetUtcNow();
    }

    /// <summary>Counts a failure of <paramref name="upstream"/>; starts its cool-down at the N-th, or at once when it sent <c>Retry-After</c>.</summary>
    public async Task ReportFailureAsync(string upstream, TimeSpan? retryAfter)
    {
        var started = await ReportToRedisAsync(upstream, retryAfter).ConfigureAwait(false) ?? ReportLocally(upstream, retryAfter);
        if (started)
        {
            metrics.CooldownStarted(upstream);
        }
    }

    private async Task<bool?> ReportToRedisAsync(string upstream, TimeSpan? retryAfter)
    {
        if (redis.Database is not { } database)
        {
            return null;
        }

        try
        {
            var result = await database.ScriptEvaluateAsync(
                FailureScript,
                [redis.Key($"cooldown:{upstream}:failures"), redis.Key(CooldownKey(upstream))],
                [
                    (long)_options.CooldownWindow.TotalMilliseconds,
                    _options.CooldownFailures,
                    (long)(retryAfter ?? TimeSpan.Zero).TotalMilliseconds,
                    (long)_options.CooldownPeriod.TotalMilliseconds,
                ]).ConfigureAwait(false);
            return (long)result == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private bool ReportLocally(string upstream, TimeSpan? retryAfter)
    {
        var now = time.GetUtcNow();
        var started = false;
        _local.AddOrUpdate(
            upstream,
            _ => Next(new LocalState(0, now, DateTimeOffset.MinValue)),
            (_, state) => Next(state));
        return started;

        LocalState Next(LocalState state)
        {
            if (retryAfter is { } asked && asked > TimeSpan.Zero)
            {
                started = true;
                return new LocalState(0, now, now + asked);
            }

            var failures = now - state.WindowStart > _options.CooldownWindow ? 1 : state.Failures + 1;
            var windowStart = failures == 1 ? now : state.WindowStart;
            if (failures >= _options.CooldownFailures)
            {
                started = true;
                return new LocalState(0, now, now + _options.CooldownPeriod);
            }

            started = false;
            return new LocalState(failures, windowStart, state.CoolingUntil);
        }
    }

    private static string CooldownKey(string upstream) => $"cooldown:{upstream}";

    private sealed record LocalState(int Failures, DateTimeOffset WindowStart, DateTimeOffset CoolingUntil);
}
