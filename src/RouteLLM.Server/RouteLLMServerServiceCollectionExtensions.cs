using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server;
using RouteLLM.Server.DecisionLog;
using RouteLLM.Server.Health;
using RouteLLM.Server.SharedState;
using RouteLLM.Server.Telemetry;
using RouteLLM.Server.Limits;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds RouteLLM's OpenAI-compatible routing server to a service collection.</summary>
public static class RouteLLMServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the server's services: the router pool bound to <c>RouteLLM</c> (routers under <c>RouteLLM:Routers</c>),
    /// the server options bound to <c>RouteLLM:Server</c> and checked at start, the upstream clients, the metrics, the limits (<c>RouteLLM:Server:Limits</c>) and the drain state
    /// (<see cref="ServerDrainState"/>; the host's shutdown timeout follows <c>RouteLLM:Server:DrainTimeout</c>).
    /// Map the endpoints with <c>MapRouteLLM</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration (its root, holding the <c>RouteLLM</c> section).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRouteLLMServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<RouterPoolOptions>(configuration.GetSection("RouteLLM"));
        RequestBatchingConfiguration.AddRequestBatching(services, configuration);
        services.AddRouteLLM();
        services.AddOptions<RouteLLMServerOptions>().Bind(configuration.GetSection(RouteLLMServerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouteLLMServerOptions>, RouteLLMServerOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<ClientKeys>();
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<ChatCompletionsEndpoint>();
        services.TryAddSingleton<InfoEndpoints>();
        services.TryAddSingleton<ServerDrainState>();
        services.AddOptions<HostOptions>().Configure<IOptions<RouteLLMServerOptions>>(
            (host, server) => host.ShutdownTimeout = server.Value.DrainTimeout + RouteLLMServerOptions.ShutdownGrace);
        ServerLimits.AddServerLimits(services, configuration);
        services.AddRouteLLMServerModels(configuration);
        services.AddRouteLLMDecisionLog(configuration);
        services.AddRouteLLMSharedState(configuration);
        services.TryAddSingleton<ServerReadiness>();
        services.TryAddSingleton<HealthEndpoints>();
        services.AddHostedService<EmbedderWarmup>();
        services.AddRouteLLMTelemetry(configuration);
        return services;
    }
}
