using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.Server;
using RouteLLM.Server.DecisionLog;
using RouteLLM.Server.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps RouteLLM's OpenAI-compatible endpoints.</summary>
public static class RouteLLMEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /v1/chat/completions</c>, <c>GET /v1/models</c>, <c>GET</c> (or <c>HEAD</c>) <c>/health</c> and the probes
    /// <c>GET /health/live</c> and <c>GET /health/ready</c>, and Prometheus' <c>GET /metrics</c>. The routers are loaded here,
    /// so that a missing or corrupt router zip stops the application before it serves.
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder (after <c>AddRouteLLMServer</c>).</param>
    /// <returns>A builder for conventions that apply to the endpoints (authorization policies, rate limits...).</returns>
    public static IEndpointConventionBuilder MapRouteLLM(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var chat = endpoints.ServiceProvider.GetRequiredService<ChatCompletionsEndpoint>();
        var info = endpoints.ServiceProvider.GetRequiredService<InfoEndpoints>();
        var health = endpoints.ServiceProvider.GetRequiredService<HealthEndpoints>();
        var group = endpoints.MapGroup("");
        group.MapPost("/v1/chat/completions", chat.HandleAsync);
        group.MapGet("/v1/models", info.ModelsAsync);
        group.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], info.HealthAsync);
        group.MapPost("/v1/feedback", endpoints.ServiceProvider.GetRequiredService<FeedbackEndpoint>().HandleAsync);
        group.MapGet("/health/live", HealthEndpoints.LiveAsync);
        group.MapGet("/health/ready", health.ReadyAsync);
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return group;
    }
}
