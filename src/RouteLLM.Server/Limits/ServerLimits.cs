using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RouteLLM.Server.Limits;

/// <summary>Registers the limits and puts them in the standalone server's pipeline: exposure check, allowed hosts, rate limits.</summary>
internal static partial class ServerLimits
{
    public static void AddServerLimits(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerLimitsOptions>().Bind(configuration.GetSection(ServerLimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerLimitsOptions>, ServerLimitsOptionsValidator>());
        services.TryAddSingleton<FailedAuthenticationThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ServerLimitsOptions>, ClientKeys>(
            (rateLimits, limits, keys) => RequestRateLimits.Configure(rateLimits, limits.Value, keys));
    }

    /// <exception cref="InvalidOperationException">The server would listen beyond loopback with no client keys, and anonymous use is not allowed.</exception>
    public static void UseServerLimits(WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<ServerLimitsOptions>>().Value;
        var keys = app.Services.GetRequiredService<ClientKeys>();
        var addresses = ListenAddresses.From(app.Configuration);
        if (!addresses.LoopbackOnly && !keys.Required)
        {
            var exposed = string.Join(", ", addresses.Exposed);
            if (!limits.AllowAnonymous)
            {
                throw new InvalidOperationException(
                    $"The server would listen on {exposed}, beyond loopback, with no client keys: anyone who reaches it could spend the upstream keys. "
                    + $"Set {RouteLLMServerOptions.SectionName}:ApiKeys, or allow it explicitly with --allow-anonymous ({ServerLimitsOptions.SectionName}:AllowAnonymous=true).");
            }

            LogAnonymous(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerLimits).FullName!), exposed);
        }

        app.Use(new AllowedHosts(limits, addresses).InvokeAsync);
        app.UseRateLimiter();
    }

    [LoggerMessage(30, LogLevel.Warning, "Serving anonymously on {Addresses}: anyone who reaches these addresses can send requests paid with the upstream keys (--allow-anonymous).")]
    private static partial void LogAnonymous(ILogger logger, string addresses);
}
