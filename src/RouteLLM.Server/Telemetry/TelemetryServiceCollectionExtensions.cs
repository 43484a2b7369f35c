using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RouteLLM.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the server: its spans and meter, ASP.NET Core's, a Prometheus scrape endpoint
/// (<c>GET /metrics</c>), and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard variables
/// configure it: protocol, headers, service name).
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard variable that turns OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddRouteLLMTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("routellm"))
            .WithTracing(tracing => tracing.AddSource(ChatSpan.SourceName).AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter(RouteLLMServer.MeterName).AddAspNetCoreInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
