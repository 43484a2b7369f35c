using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// Keeps a conversation (the request header <see cref="ConversationHeader"/>) on its model: once a conversation has
/// gone to the strong model it stays there, and a weak one moves up when the router says strong, never down. The
/// route is kept for <see cref="RedisOptions.SessionDuration"/> after the conversation's last request, in Redis when
/// reachable (every replica agrees), else in this replica's memory.
/// </summary>
internal sealed class SessionStickiness(SharedRedis redis, IOptions<RedisOptions> options, TimeProvider time)
{
    /// <summary>Request header naming a conversation.</summary>
    public const string ConversationHeader = "x-routellm-conversation-id";

    // One script: two replicas answering the same conversation at once cannot move it down.
    private const string StickScript = """
        local route = ARGV[1]
        if redis.call('GET', KEYS[1]) == 'strong' then route = 'strong' end
        redis.call('SET', KEYS[1], route, 'PX', ARGV[2])
        return route
        """;

    private const int MaxLocalSessions = 100_000;

    private readonly TimeSpan _duration = options.Value.SessionDuration;
    private readonly ConcurrentDictionary<string, (bool Strong, DateTimeOffset Expires)> _local = new(StringComparer.Ordinal);

    /// <summary>Whether the conversation goes to the strong model, given the router's choice for this request.</summary>
    /// <param name="conversation">The conversation id.</param>
    /// <param name="routerChoseStrong">What the router decided for this request alone.</param>
    public async Task<bool> StickAsync(string conversation, bool routerChoseStrong)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversation);
        if (redis.Database is { } database)
        {
            try
            {
                var route = await database.ScriptEvaluateAsync(
                    StickScript,
                    [redis.Key("session:" + conversation)],
                    [routerChoseStrong ? "strong" : "weak", (long)_duration.TotalMilliseconds]).ConfigureAwait(false);
                return (string?)route == "strong";
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Fall back to this replica's memory.
            }
        }

        var now = time.GetUtcNow();
        if (_local.Count >= MaxLocalSessions)
        {
            foreach (var expired in _local.Where(s => s.Value.Expires <= now).Select(s => s.Key).ToList())
            {
                _local.TryRemove(expired, out _);
            }
        }

        var stuck = _local.AddOrUpdate(
            conversation,
            (routerChoseStrong, now + _duration),
            (_, kept) => (routerChoseStrong || (kept.Strong && kept.Expires > now), now + _duration));
        return stuck.Strong;
    }
}
