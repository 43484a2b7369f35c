using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.Server.Limits;

namespace RouteLLM.Server;

/// <summary>
/// The standalone routing server (<c>routellm serve</c>): an ASP.NET Core application configured from
/// <c>appsettings.json</c>, the environment and the command line, listening on <see cref="DefaultUrl"/> unless
/// <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) says otherwise. See docs/SERVING.md.
/// </summary>
public static class RouteLLMServer
{
    /// <summary>Where the server listens by default: loopback only, on RouteLLM's port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:6060";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of the server's metrics.</summary>
    public const string MeterName = "RouteLLM.Server";

    /// <summary>Response header: the model that answered (also the body's <c>model</c>).</summary>
    public const string ModelHeader = "x-routellm-model";

    /// <summary>Response header: the routing decision, <c>strong</c> or <c>weak</c> (the other model may have answered after a failover).</summary>
    public const string RouteHeader = "x-routellm-route";

    /// <summary>Response header: the router's P(strong model wins) for the request.</summary>
    public const string StrongWinRateHeader = "x-routellm-strong-win-rate";

    /// <summary>Response header: the threshold the win rate was compared with (calibrated, for a share).</summary>
    public const string ThresholdHeader = "x-routellm-threshold";

    /// <summary>Creates the application builder with the server's services registered and its default address set.</summary>
    /// <param name="args">Command-line arguments, read as configuration (<c>--urls</c>, <c>--RouteLLM:Server:Failover=true</c>...).</param>
    /// <param name="settingsFile">
    /// Optional JSON settings file, read after <c>appsettings.json</c> and before the environment and the command line,
    /// so that keys given in the environment override it.
    /// </param>
    /// <returns>A builder to add configuration sources to before <see cref="Build"/>.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="settingsFile"/> does not exist.</exception>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? settingsFile = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(args);

        // The ASP.NET templates' default, overridable like any setting: no log lines per request.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        if (settingsFile is not null)
        {
            var path = Path.GetFullPath(settingsFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Settings file '{path}' does not exist.", path);
            }

            var settings = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
            settings.ResolveFileProvider();
            var sources = builder.Configuration.Sources;
            sources.Insert(sources.TakeWhile(source => source is not EnvironmentVariablesConfigurationSource).Count(), settings);
        }

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddRouteLLMServer(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Builds the application with its limits (allowed hosts, rate and concurrency limits) and maps the endpoints; every
    /// error status, on any path, answers OpenAI's JSON error body.
    /// </summary>
    /// <param name="builder">A builder from <see cref="CreateBuilder"/>.</param>
    /// <exception cref="InvalidOperationException">
    /// A router zip could not be loaded, a setting is invalid, or the server would listen beyond loopback with neither
    /// client keys nor <c>RouteLLM:Server:Limits:AllowAnonymous</c>.
    /// </exception>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseStatusCodePages(context => ErrorStatusPages.WriteAsync(context.HttpContext));
        ServerLimits.UseServerLimits(app);
        app.MapRouteLLM();
        return app;
    }
}
