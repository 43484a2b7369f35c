using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RouteLLM.Server;

/// <summary>Registers what policy model names need: the catalogue options, the upstreams' check, the served models, their metrics and endpoint.</summary>
internal static class ServedModelsServiceCollectionExtensions
{
    public static IServiceCollection AddRouteLLMServerModels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RouteLLMModelsOptions>().Bind(configuration.GetSection(RouteLLMModelsOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouteLLMServerOptions>, UpstreamsValidator>());
        services.TryAddSingleton<ModelPrices>();
        services.TryAddSingleton<ServedModels>();
        services.TryAddSingleton<ModelMetrics>();
        services.TryAddSingleton<MultiModelChatCompletions>();
        return services;
    }
}
