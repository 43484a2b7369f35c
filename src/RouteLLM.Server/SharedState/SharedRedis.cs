using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// The one Redis connection of a replica, when <see cref="RedisOptions.Configuration"/> is set. It never blocks start
/// or a request on an absent Redis: the connection retries in the background, and callers ask <see cref="Database"/>,
/// which is null while Redis is unreachable, and route from memory meanwhile.
/// </summary>
internal sealed partial class SharedRedis : IDisposable
{
    private readonly ConnectionMultiplexer? _connection;
    private readonly ILogger _logger;

    public SharedRedis(IOptions<RedisOptions> options, ILogger<SharedRedis> logger)
    {
        var settings = options.Value;
        _logger = logger;
        KeyPrefix = settings.KeyPrefix;
        if (string.IsNullOrWhiteSpace(settings.Configuration))
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(settings.Configuration);
        configuration.AbortOnConnectFail = false;
        var timeout = (int)settings.CommandTimeout.TotalMilliseconds;
        configuration.ConnectTimeout = Math.Max(timeout, 1000);
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        _connection = ConnectionMultiplexer.Connect(configuration);
        _connection.ConnectionFailed += (_, e) => LogLost(_logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        _connection.ConnectionRestored += (_, e) => LogRestored(_logger, e.EndPoint?.ToString() ?? "?");
    }

    /// <summary>Whether a Redis is configured.</summary>
    public bool IsConfigured => _connection is not null;

    /// <summary>Whether Redis is configured and connected now.</summary>
    public bool IsAvailable => _connection?.IsConnected == true;

    /// <summary>The connection, for the distributed cache; null when no Redis is configured.</summary>
    public IConnectionMultiplexer? Connection => _connection;

    /// <summary>The database while Redis is reachable; null when it is not configured or not connected.</summary>
    public IDatabase? Database => IsAvailable ? _connection!.GetDatabase() : null;

    /// <summary>The prefix of every key.</summary>
    public string KeyPrefix { get; }

    /// <summary>A key under this deployment's prefix.</summary>
    public RedisKey Key(string name) => KeyPrefix + name;

    public void Dispose() => _connection?.Dispose();

    [LoggerMessage(50, LogLevel.Warning, "Redis connection to {EndPoint} lost ({Failure}); routing from memory until it returns.")]
    private static partial void LogLost(ILogger logger, string endPoint, string failure);

    [LoggerMessage(51, LogLevel.Information, "Redis connection to {EndPoint} restored.")]
    private static partial void LogRestored(ILogger logger, string endPoint);
}
