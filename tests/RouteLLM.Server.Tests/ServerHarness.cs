using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RouteLLM.FakeUpstream;
using RouteLLM.Testing;

namespace RouteLLM.Server.Tests;

/// <summary>
/// The routing server on 127.0.0.1 (a free port) in front of a <see cref="FakeUpstreamServer"/>, with its files in a
/// temporary directory: the start, client and shutdown that every server harness shares.
/// </summary>
internal abstract class ServerHarness : IAsyncDisposable
{
    protected ServerHarness(TemporaryDirectory directory, FakeUpstreamServer upstream, WebApplication app)
    {
        Files = directory;
        Upstream = upstream;
        App = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeUpstreamServer Upstream { get; }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    protected TemporaryDirectory Files { get; }

    /// <summary>The configuration keys of catalogue entry <paramref name="index"/>: a model priced in USD per million input and output tokens.</summary>
    public static IEnumerable<(string Key, string Value)> CatalogueEntry(int index, string model, double inputUsdPerMTok, double outputUsdPerMTok, double avgOutputChars)
    {
        yield return ($"RouteLLM:Models:{index}:Model", model);
        yield return ($"RouteLLM:Models:{index}:InputUsdPerMTok", inputUsdPerMTok.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ($"RouteLLM:Models:{index}:OutputUsdPerMTok", outputUsdPerMTok.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ($"RouteLLM:Models:{index}:AvgOutputChars", avgOutputChars.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        Files.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds and starts the server on a free loopback port with <paramref name="configuration"/> and no logging unless <paramref name="logs"/> is given.</summary>
    protected static async Task<WebApplication> StartServerAsync(
        IDictionary<string, string?> configuration, ILoggerProvider? logs = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = RouteLLMServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        }

        configure?.Invoke(builder);
        var app = RouteLLMServer.Build(builder);
        await app.StartAsync();
        return app;
    }
}
