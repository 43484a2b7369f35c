using Microsoft.Extensions.DependencyInjection.Extensions;
using RouteLLM.MLNet.Extensions;

// Registration extensions live in the DI namespace, as Microsoft's own AddXxx methods do.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds RouteLLM's <see cref="RouterPool"/> to a service collection.</summary>
public static class RouteLLMServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="RouterPool"/> of the routers that <paramref name="configure"/> (and any other
    /// configuration of <see cref="RouterPoolOptions"/>, e.g. a bound configuration section) names. A router that reads
    /// embeddings uses the <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> registered in the container
    /// when that is the embedder it was trained with, and otherwise the local embedder its manifest names, which the
    /// pool creates and disposes.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds routers and sets reload options; may be null when options are configured elsewhere.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRouteLLM(this IServiceCollection services, Action<RouterPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RouterPoolOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<RouterPool>();
        return services;
    }
}
