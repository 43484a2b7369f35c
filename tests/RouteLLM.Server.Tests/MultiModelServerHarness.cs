using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.Server.Tests;

/// <summary>
/// The routing server on 127.0.0.1 in front of three priced models on one <see cref="FakeUpstreamServer"/> (each
/// upstream asks for its own model), plus a fourth, <c>extra</c>, that router <c>q</c> never saw. Router <c>q</c>
/// predicts <c>big</c>, <c>mid-chat</c> (the catalogue's alias of <c>mid</c>) and <c>small</c>, as each prompt's
/// <c>q=…</c> prefix says; its calibration prompts are four copies of <see cref="CalibrationPrompt"/>.
/// </summary>
/// <remarks>
/// Prices put each answer's cost in its output tokens: with the catalogue's lengths (÷ 4 characters per token), a
/// request is estimated at 0.01 USD on big (250 tokens × 40 USD/Mtok), 0.002 on mid (250 × 8) and 0.0002 on small
/// (100 × 2), plus its prompt tokens × 1, 0.5 and 0.1 USD/Mtok.
/// </remarks>
internal sealed class MultiModelServerHarness : ServerHarness
{
    public const string Big = "big";
    public const string Mid = "mid";
    public const string Small = "small";
    public const string Extra = "extra";
    public const string CalibrationPrompt = "q=0.9,0.8,0.5 calibration";

    public static readonly (string Model, double Input, double Output, double Chars)[] Prices =
    [
        (Big, 1, 40, 1000), (Mid, 0.5, 8, 1000), (Small, 0.1, 2, 400), (Extra, 0, 1, 400),
    ];

    private MultiModelServerHarness(TemporaryDirectory directory, FakeUpstreamServer upstream, WebApplication app)
        : base(directory, upstream, app)
    {
    }

    /// <summary>Starts the fake upstream and the server; <paramref name="settings"/> adds or overrides configuration keys.</summary>
    /// <param name="settings">Configuration keys to add or override.</param>
    /// <param name="pairAtUpstream">Whether the strong/weak pair's base URLs are set to the fake upstream as well.</param>
    public static async Task<MultiModelServerHarness> StartAsync(IDictionary<string, string?>? settings = null, bool pairAtUpstream = false)
    {
        var directory = new TemporaryDirectory();
        RouterZip.Save(ScriptedQualityRouterModel.Create([Big, "mid-chat", Small], [0.5f, 0.5f, 0.5f]), directory.File("q.zip"));
        File.WriteAllLines(directory.File("calibration.txt"), Enumerable.Repeat(CalibrationPrompt, 4));
        var upstream = await FakeUpstreamServer.StartAsync();
        var configuration = new Dictionary<string, string?>
        {
            ["RouteLLM:Routers:q:Path"] = directory.File("q.zip"),
            ["RouteLLM:Routers:q:CalibrationPrompts"] = directory.File("calibration.txt"),
            ["RouteLLM:Server:Failover"] = "true",
            ["RouteLLM:Server:UpstreamTimeout"] = "00:00:05",
        };
        for (var i = 0; i < Prices.Length; i++)
        {
            var (model, input, output, chars) = Prices[i];
            foreach (var (key, value) in CatalogueEntry(i, model, input, output, chars))
            {
                configuration[key] = value;
            }

            configuration[$"RouteLLM:Server:Upstreams:{i}:BaseUrl"] = upstream.BaseUrl;
            configuration[$"RouteLLM:Server:Upstreams:{i}:Model"] = model;
            configuration[$"RouteLLM:Server:Upstreams:{i}:ApiKeyVariable"] = KeyVariable;
        }

        configuration["RouteLLM:Models:1:Aliases:0"] = "mid-chat";
        Environment.SetEnvironmentVariable(KeyVariable, Key);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        if (pairAtUpstream)
        {
            configuration["RouteLLM:Server:Strong:BaseUrl"] = upstream.BaseUrl;
            configuration["RouteLLM:Server:Weak:BaseUrl"] = upstream.BaseUrl;
        }

        var app = await StartServerAsync(configuration);
        return new MultiModelServerHarness(directory, upstream, app);
    }

    /// <summary>Posts a one-message chat completion, with the allowed models in their header when given.</summary>
    public Task<HttpResponseMessage> PostAsync(string model, string prompt, bool stream = false, string? allowedModels = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = System.Net.Http.Json.JsonContent.Create(RoutingServerHarness.Chat(model, prompt, stream)),
        };
        if (allowedModels is not null)
        {
            request.Headers.Add(ModelHeaders.AllowedModels, allowedModels);
        }

        return Client.SendAsync(request);
    }

    /// <summary>The environment variable the upstreams read their key from, and the key.</summary>
    public const string KeyVariable = "ROUTELLM_TEST_MULTI_MODEL_KEY";

    public const string Key = "sk-multi-SECRET-5555";

    /// <summary>A loopback URL where nothing listens: connections are refused.</summary>
    public static string RefusingUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    /// <summary>The request's estimated cost on a model: prompt tokens (every message's text, cl100k_base) × input + typical answer × output.</summary>
    public static double EstimatedCost(string model, string prompt)
    {
        var (_, input, output, chars) = Prices.Single(p => p.Model == model);
        return ((MLNet.Catalogue.TokenCounter.Default.Count(prompt) * input) + (chars / 4 * output)) / 1e6;
    }
}
