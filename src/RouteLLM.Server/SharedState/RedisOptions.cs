namespace RouteLLM.Server.SharedState;

/// <summary>
/// State shared by every replica through Redis (configuration section <c>RouteLLM:Redis</c>): the decision cache,
/// spend counters and budgets, upstream cooldowns and session stickiness. Off when <see cref="Configuration"/> is
/// empty; budgets, cooldowns and stickiness then hold per replica, in memory.
/// </summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RouteLLM:Redis";

    /// <summary>
    /// StackExchange.Redis configuration, e.g. <c>redis:6379,password=...</c>; empty: no Redis. Give a password through
    /// the environment (<c>RouteLLM__Redis__Configuration</c>).
    /// </summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key this server writes, so that several deployments can share one Redis. Default: <c>routellm:</c>.</summary>
    public string KeyPrefix { get; set; } = "routellm:";

    /// <summary>Longest wait for one Redis command before the server routes from memory instead. Default: 500 ms.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a routing decision stays in the shared cache (in memory: at most 5 minutes). Default: 1 day.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Spend limits; none by default.</summary>
    public BudgetOptions Budgets { get; set; } = new();

    /// <summary>Failures of one upstream within <see cref="CooldownWindow"/> that start its cool-down. Default: 3.</summary>
    public int CooldownFailures { get; set; } = 3;

    /// <summary>The window failures are counted in. Default: 60 s.</summary>
    public TimeSpan CooldownWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a failing upstream is skipped, unless its <c>Retry-After</c> says otherwise. Default: 30 s.</summary>
    public TimeSpan CooldownPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a conversation keeps its model after its last request. Default: 1 hour.</summary>
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromHours(1);
}
