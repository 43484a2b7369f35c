using Microsoft.Extensions.DependencyInjection;
using RouteLLM.MLNet.Extensions;

// Builder extensions live in Microsoft.Extensions.AI's namespace, as the library's own middleware does.
namespace Microsoft.Extensions.AI;

/// <summary>Adds a <see cref="RouteLLMChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class RouteLLMChatClientBuilderExtensions
{
    /// <summary>
    /// Routes each request between the pipeline's inner client, which serves the strong model, and
    /// <paramref name="weakClient"/>, by a router of the <see cref="RouterPool"/> registered in the services the
    /// pipeline is built with (<c>AddRouteLLM</c>).
    /// </summary>
    /// <param name="builder">The pipeline builder; its inner client is the strong model's.</param>
    /// <param name="weakClient">The client of the weak (cheap) model.</param>
    /// <param name="routerName">The router's name in the pool.</param>
    /// <param name="threshold">A fixed threshold, or a target share of strong calls.</param>
    /// <param name="configure">Optional further configuration, e.g. of <see cref="RouteLLMChatClient.RoutedText"/>.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseRouteLLM(
        this ChatClientBuilder builder, IChatClient weakClient, string routerName, RoutingThreshold threshold, Action<RouteLLMChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(weakClient);
        ArgumentNullException.ThrowIfNull(routerName);
        return builder.Use((innerClient, services) =>
        {
            var client = new RouteLLMChatClient(innerClient, weakClient, services.GetRequiredService<RouterPool>(), routerName, threshold);
            configure?.Invoke(client);
            return client;
        });
    }
}
