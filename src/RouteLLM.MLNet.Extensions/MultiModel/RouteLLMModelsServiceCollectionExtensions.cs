using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a <see cref="MultiModelRouter"/> to a service collection.</summary>
public static class RouteLLMModelsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="MultiModelRouter"/> among <paramref name="models"/>, priced by
    /// <paramref name="catalogue"/>, whose budgets calibrate on the calibration prompts of the pool's routers
    /// (<see cref="RouterPoolOptions"/>). Register each model's <c>IChatClient</c> under its catalogue name as key and
    /// build clients with <see cref="MultiModelRoutingChatClient.FromKeyedServices"/>.
    /// </summary>
    /// <param name="services">The service collection (with <c>AddRouteLLM</c>).</param>
    /// <param name="catalogue">The models' prices and aliases.</param>
    /// <param name="models">The models to route among, in any spelling the catalogue knows.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRouteLLMModels(this IServiceCollection services, ModelCatalogue catalogue, params IEnumerable<string> models)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(models);
        var list = models.ToList();
        services.TryAddSingleton(provider => new MultiModelRouter(
            catalogue,
            list,
            provider.GetRequiredService<IOptions<RouterPoolOptions>>().Value.Routers
                .Where(r => !string.IsNullOrWhiteSpace(r.Value.CalibrationPrompts))
                .ToDictionary(r => r.Key, r => Path.GetFullPath(r.Value.CalibrationPrompts!), StringComparer.Ordinal)));
        return services;
    }
}
