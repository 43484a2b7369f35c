using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// Spend per client key and in total: nano-dollars per UTC day and tokens per minute, counted in Redis with one
/// atomic script per answer so that every replica enforces the same budgets. While Redis is unreachable the replica
/// counts in memory, enforces its budgets on what it has seen, and adds what it counted to Redis once Redis returns.
/// </summary>
/// <remarks>Keys: <c>{prefix}spend:{yyyy-MM-dd}:nano-usd:{scope}</c> and <c>{prefix}spend:{yyyy-MM-ddTHH:mm}:tokens:{scope}</c>, scope <c>global</c> or <c>client:{id}</c>.</remarks>
internal sealed class SpendLedger(SharedRedis redis, IOptions<RedisOptions> options, TimeProvider time)
{
    // KEYS: the request's marker, then the counters. ARGV: whether to check the marker, its lifetime, the amounts,
    // the counters' lifetimes. INCRBY then EXPIRE for each counter in one script, so no replica sees a counter without
    // its expiry; a request id seen before (a load balancer's retry of an answered request) adds nothing.
    private const string RecordScript = """
        if ARGV[1] == '1' and not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
          return 0
        end
        local n = #KEYS - 1
        for i = 1, n do
          redis.call('INCRBY', KEYS[i + 1], ARGV[2 + i])
          redis.call('EXPIRE', KEYS[i + 1], ARGV[2 + n + i])
        end
        return n
        """;

    private static readonly TimeSpan DayKeyLifetime = TimeSpan.FromDays(2);
    private static readonly TimeSpan MinuteKeyLifetime = TimeSpan.FromMinutes(2);

    private readonly BudgetOptions _budgets = options.Value.Budgets;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _local = new(StringComparer.Ordinal);
    // What has not reached Redis, by request id (null: none): sent again with its id, so that a script that timed
    // out but ran is not counted twice.
    private readonly Dictionary<string, Dictionary<string, long>> _unflushed = new(StringComparer.Ordinal);

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
    /// <param name="client">The client's id.</param>
    /// <param name="usage">What the answer used and cost.</param>
    /// <param name="requestId">
    /// The id a load balancer gives the client's request (nginx's <c>$request_id</c> in <c>x-request-id</c>), the same
    /// on every replica it retries: an id already counted in Redis adds nothing. Null: always counted.
    /// </param>
    public async Task RecordAsync(string client, TokenUsage usage, string? requestId)
    {
        var now = time.GetUtcNow();
        var deltas = new List<(string Key, long Amount, TimeSpan Lifetime)>
        {
            (DayKey(now, "global"), usage.NanoUsd, DayKeyLifetime),
            (DayKey(now, "client:" + client), usage.NanoUsd, DayKeyLifetime),
            (MinuteKey(now, "global"), usage.Tokens, MinuteKeyLifetime),
            (MinuteKey(now, "client:" + client), usage.Tokens, MinuteKeyLifetime),
        };
        KeyValuePair<string, Dictionary<string, long>>[] waiting;
        lock (_gate)
        {
            foreach (var (key, amount, _) in deltas)
            {
                _local[key] = _local.GetValueOrDefault(key) + amount;
            }

            ForgetPastPeriods(now);
            Keep(requestId, deltas.Select(d => KeyValuePair.Create(d.Key, d.Amount)));
            waiting = [.. _unflushed];
            _unflushed.Clear();
        }

        // What waited for Redis (after an outage or a timeout) and this answer; whatever does not reach Redis waits on.
        foreach (var (id, amounts) in waiting)
        {
            if (!await TryAddToRedisAsync([.. amounts], id.Length == 0 ? null : id).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    Keep(id.Length == 0 ? null : id, amounts);
                }
            }
        }
    }

    private void Keep(string? requestId, IEnumerable<KeyValuePair<string, long>> amounts)
    {
        if (!_unflushed.TryGetValue(requestId ?? "", out var kept))
        {
            kept = new Dictionary<string, long>(StringComparer.Ordinal);
            _unflushed.Add(requestId ?? "", kept);
        }

        foreach (var (key, amount) in amounts)
        {
            kept[key] = kept.GetValueOrDefault(key) + amount;
        }
    }

    private async Task<bool> TryAddToRedisAsync(KeyValuePair<string, long>[] deltas, string? requestId)
    {
        if (redis.Database is not { } database)
        {
            return false;
        }

        RedisKey[] keys = [redis.Key("spend:request:" + (requestId ?? "")), .. deltas.Select(d => redis.Key(d.Key))];
        RedisValue[] arguments =
        [
            requestId is null ? "0" : "1",
            (long)DayKeyLifetime.TotalSeconds,
            .. deltas.Select(d => (RedisValue)d.Value),
            .. deltas.Select(d => (RedisValue)(long)(d.Key.Contains(":tokens:", StringComparison.Ordinal) ? MinuteKeyLifetime : DayKeyLifetime).TotalSeconds),
        ];
        try
        {
            await database.ScriptEvaluateAsync(RecordScript, keys, arguments).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Not known to have run: tried again later, with the same request id when there is one.
            return false;
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
                    return [.. values.Select((v, i) => (v.TryParse(out long n) ? n : 0) + _unflushed.Values.Sum(kept => kept.GetValueOrDefault(keys[i])))];
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
