using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RouteLLM.Server.DecisionLog;

/// <summary>Registers the decision log, shadow mode's recording and the feedback endpoint.</summary>
internal static class DecisionLogServiceCollectionExtensions
{
    public static IServiceCollection AddRouteLLMDecisionLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DecisionLogOptions>().Bind(configuration.GetSection(DecisionLogOptions.SectionName));
        services.TryAddSingleton<DecisionLogWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<DecisionLogWriter>());
        services.TryAddSingleton<DecisionRecorder>();
        services.TryAddSingleton<FeedbackEndpoint>();
        return services;
    }
}
