using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RouteLLM.Server.Shared;

/// <summary>
/// Spend per client key and in total: nano-dollars per UTC day and tokens per minute, counted in Redis with one
/// atomic script per answer so that every replica enforces the same budgets. While Redis is unreachable the replica
/// counts in memory, enforces its budgets on what it has seen, and adds what it counted to Redis once Redis returns.
/// </summary>
/// <remarks>Keys: <c>{prefix}spend:{yyyy-MM-dd}:nano-usd:{scope}</c> and <c>{prefix}spend:{yyyy-MM-ddTHH:mm}:tokens:{scope}</c>, scope <c>global</c> or <c>client:{id}</c>.</remarks>
internal sealed class SpendLedger(SharedRedis redis, IOptions<RedisOptions> options, TimeProvider time)
{
    // INCRBY then EXPIRE for each key, in one script: no replica sees a counter without its expiry.
    private const string RecordScript = """
        local half = #KEYS
        for i = 1, half do
          redis.call('INCRBY', KEYS[i], ARGV[i])
          redis.call('EXPIRE', KEYS[i], ARGV[half + i])
        end
        return half
        """;

    private static readonly TimeSpan DayKeyLifetime = TimeSpan.FromDays(2);
    private static readonly TimeSpan MinuteKeyLifetime = TimeSpan.FromMinutes(2);

    private readonly BudgetOptions _budgets = options.Value.Budgets;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _local = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unflushed = new(StringComparer.Ordinal);

    /// <summary>The Redis key of the total spend on <paramref name="day"/>, in nano-dollars (read by deploy/scale-out-test.sh).</summary>
    public string GlobalDayKey(DateTimeOffset day) => redis.KeyPrefix + DayKey(day, "global");

    /// <summary>The first budget <paramref name="client"/> has exhausted, or null when the request may go on.</summary>
    public async Task<BudgetExceeded?> CheckAsync(string client)
    {
        var now = time.GetUtcNow();
        var limits = new List<(string Key, long Limit, string Name, TimeSpan RetryAfter)>();
        var untilTomorrow = now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
        var untilNextMinute = TimeSpan.FromSeconds(60 - now.Second);
        if (_budgets.GlobalUsdPerDay is { } globalUsd)
        {
            limits.Add((DayKey(now, "global"), ToNano(globalUsd), "global_usd_per_day", untilTomorrow));
        }

        if (_budgets.ClientUsdPerDay is { } clientUsd)
        {
            limits.Add((DayKey(now, "client:" + client), ToNano(clientUsd), "client_usd_per_day", untilTomorrow));
        }

        if (_budgets.GlobalTokensPerMinute is { } globalTokens)
        {
            limits.Add((MinuteKey(now, "global"), globalTokens, "global_tokens_per_minute", untilNextMinute));
        }

        if (_budgets.ClientTokensPerMinute is { } clientTokens)
        {
            limits.Add((MinuteKey(now, "client:" + client), clientTokens, "client_tokens_per_minute", untilNextMinute));
        }

        if (limits.Count == 0)
        {
            return null;
        }

        var spent = await ReadAsync([.. limits.Select(l => l.Key)]).ConfigureAwait(false);
        for (var i = 0; i < limits.Count; i++)
        {
            if (spent[i] >= limits[i].Limit)
            {
                return new BudgetExceeded(limits[i].Name, limits[i].RetryAfter);
            }
        }

        return null;
    }

    /// <summary>Adds one answer's cost and tokens to the client's and the global counters.</summary>
    public async Task RecordAsync(string client, TokenUsage usage)
    {
        var now = time.GetUtcNow();
        var deltas = new List<(string Key, long Amount, TimeSpan Lifetime)>
        {
            (DayKey(now, "global"), usage.NanoUsd, DayKeyLifetime),
            (DayKey(now, "client:" + client), usage.NanoUsd, DayKeyLifetime),
            (MinuteKey(now, "global"), usage.Tokens, MinuteKeyLifetime),
            (MinuteKey(now, "client:" + client), usage.Tokens, MinuteKeyLifetime),
        };
        lock (_gate)
        {
            foreach (var (key, amount, _) in deltas)
            {
                _local[key] = _local.GetValueOrDefault(key) + amount;
                _unflushed[key] = _unflushed.GetValueOrDefault(key) + amount;
            }
        }

        await FlushAsync(now).ConfigureAwait(false);
    }

    private async Task FlushAsync(DateTimeOffset now)
    {
        if (redis.Database is not { } database)
        {
            return;
        }

        KeyValuePair<string, long>[] pending;
        lock (_gate)
        {
            pending = [.. _unflushed];
            _unflushed.Clear();
            ForgetPastPeriods(now);
        }

        if (pending.Length == 0)
        {
            return;
        }

        var keys = pending.Select(p => redis.Key(p.Key)).ToArray();
        var arguments = pending.Select(p => (RedisValue)p.Value)
            .Concat(pending.Select(p => (RedisValue)(long)(p.Key.Contains(":tokens:", StringComparison.Ordinal) ? MinuteKeyLifetime : DayKeyLifetime).TotalSeconds))
            .ToArray();
        try
        {
            await database.ScriptEvaluateAsync(RecordScript, keys, arguments).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Not applied (a timed-out script may have run: then Redis counts it twice, which the docs state);
            // kept to be added when Redis answers again.
            lock (_gate)
            {
                foreach (var (key, amount) in pending)
                {
                    _unflushed[key] = _unflushed.GetValueOrDefault(key) + amount;
                }
            }
        }
    }

    private async Task<long[]> ReadAsync(string[] keys)
    {
        if (redis.Database is { } database)
        {
            try
            {
                var values = await database.StringGetAsync([.. keys.Select(redis.Key)]).ConfigureAwait(false);
                lock (_gate)
                {
                    // What this replica counted while Redis was away is not in Redis yet.
                    return [.. values.Select((v, i) => (v.TryParse(out long n) ? n : 0) + _unflushed.GetValueOrDefault(keys[i]))];
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Fall through to this replica's own counts.
            }
        }

        lock (_gate)
        {
            return [.. keys.Select(k => _local.GetValueOrDefault(k))];
        }
    }

    private void ForgetPastPeriods(DateTimeOffset now)
    {
        var today = Day(now);
        var minute = Minute(now);
        foreach (var key in _local.Keys.Where(k => !k.StartsWith(today, StringComparison.Ordinal) && !k.StartsWith(minute, StringComparison.Ordinal)).ToList())
        {
            _local.Remove(key);
        }
    }

    private static long ToNano(double usd) => (long)Math.Round(usd * 1_000_000_000);

    private static string Day(DateTimeOffset now) => "spend:" + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ":nano-usd:";

    private static string Minute(DateTimeOffset now) => "spend:" + now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) + ":tokens:";

    private static string DayKey(DateTimeOffset now, string scope) => Day(now) + scope;

    private static string MinuteKey(DateTimeOffset now, string scope) => Minute(now) + scope;
}

/// <summary>A budget a request would exceed.</summary>
/// <param name="Limit">Which limit: <c>global_usd_per_day</c>, <c>client_usd_per_day</c>, <c>global_tokens_per_minute</c> or <c>client_tokens_per_minute</c>.</param>
/// <param name="RetryAfter">How long until its period ends.</param>
internal sealed record BudgetExceeded(string Limit, TimeSpan RetryAfter);
