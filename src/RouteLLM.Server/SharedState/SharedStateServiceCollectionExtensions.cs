using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RouteLLM.Server.Telemetry;

namespace RouteLLM.Server.SharedState;

/// <summary>Registers the state replicas share: Redis when <c>RouteLLM:Redis:Configuration</c> is set, memory otherwise.</summary>
internal static class SharedStateServiceCollectionExtensions
{
    public static IServiceCollection AddRouteLLMSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SharedRedis>();
        services.AddHybridCache();

        // HybridCache finds its second level as the registered IDistributedCache: Redis, skipped while it is
        // unreachable, and never asked when none is configured.
        services.TryAddSingleton<IDistributedCache>(provider =>
        {
            var redis = provider.GetRequiredService<SharedRedis>();
            var cache = redis.Connection is { } connection
                ? new RedisCache(Options.Create(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(connection),
                    InstanceName = redis.KeyPrefix + "cache:",
                }))
                : null;
            return new AvailabilityGuardedCache(cache, redis);
        });
        services.TryAddSingleton<ScaleOutMetrics>();
        services.TryAddSingleton<DecisionCache>();
        services.TryAddSingleton<SpendLedger>();
        services.TryAddSingleton<UpstreamCooldowns>();
        services.TryAddSingleton<SessionStickiness>();
        services.TryAddSingleton<SharedRouting>();
        return services;
    }
}
