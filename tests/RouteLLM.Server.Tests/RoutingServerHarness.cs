using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Extensions;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.Server.Tests;

/// <summary>
/// The routing server on 127.0.0.1 (a free port), in front of a <see cref="FakeUpstreamServer"/> that serves both models.
/// Router <c>r</c> is a scripted router (prompt <c>p=0.7 ...</c> scores 0.7, other prompts 0.2) with ten calibration
/// prompts scoring 0.01..0.10; router <c>plain</c> is the same without calibration.
/// </summary>
internal sealed class RoutingServerHarness : ServerHarness
{
    public const string StrongModel = "gpt-4-1106-preview";
    public const string WeakModel = "mixtral-8x7b-instruct-v0.1";
    public const string StrongKey = "sk-strong-SECRET-1234567890";
    public const string WeakKey = "sk-weak-SECRET-0987654321";

    private RoutingServerHarness(TemporaryDirectory directory, FakeUpstreamServer upstream, WebApplication app)
        : base(directory, upstream, app)
    {
    }

    public RouterPool Routers => App.Services.GetRequiredService<RouterPool>();

    public string RouterPath => Files.File("r.zip");

    /// <summary>
    /// The catalogue entries (<c>RouteLLM:Models</c>) that price the strong and the weak model, in USD per million
    /// input and output tokens: the server's one price source.
    /// </summary>
    public static IEnumerable<(string Key, string Value)> Prices(double strongInput, double strongOutput, double weakInput, double weakOutput) =>
        CatalogueEntry(0, StrongModel, strongInput, strongOutput, avgOutputChars: 1000)
        .Concat(CatalogueEntry(1, WeakModel, weakInput, weakOutput, avgOutputChars: 1000));

    /// <summary>Starts the upstream and the server; <paramref name="settings"/> adds or overrides configuration keys.</summary>
    public static async Task<RoutingServerHarness> StartAsync(
        IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null, Action<WebApplicationBuilder, TemporaryDirectory>? configure = null)
    {
        var directory = new TemporaryDirectory();
        RouterZip.Save(ScriptedRouterModel.Create(0.2f), directory.File("r.zip"));
        RouterZip.Save(ScriptedRouterModel.Create(0.2f), directory.File("plain.zip"));
        File.WriteAllLines(directory.File("prompts.txt"), Enumerable.Range(1, 10).Select(i => $"p=0.{i:00}"));
        var upstream = await FakeUpstreamServer.StartAsync();
        var configuration = new Dictionary<string, string?>
        {
            ["RouteLLM:Routers:r:Path"] = directory.File("r.zip"),
            ["RouteLLM:Routers:r:CalibrationPrompts"] = directory.File("prompts.txt"),
            ["RouteLLM:Routers:plain:Path"] = directory.File("plain.zip"),
            ["RouteLLM:ReloadDelay"] = "00:00:00.2",
            ["RouteLLM:Server:Strong:BaseUrl"] = upstream.BaseUrl,
            ["RouteLLM:Server:Strong:Model"] = StrongModel,
            ["RouteLLM:Server:Strong:ApiKey"] = StrongKey,
            ["RouteLLM:Server:Weak:BaseUrl"] = upstream.BaseUrl,
            ["RouteLLM:Server:Weak:Model"] = WeakModel,
            ["RouteLLM:Server:Weak:ApiKey"] = WeakKey,
            ["RouteLLM:Server:UpstreamTimeout"] = "00:00:02",
            ["RouteLLM:Server:StreamIdleTimeout"] = "00:00:01",
            // Load tests send thousands of requests a minute from one address; the limit's own tests lower it.
            ["RouteLLM:Server:Limits:RequestsPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = await StartServerAsync(configuration, logs, builder => configure?.Invoke(builder, directory));
        return new RoutingServerHarness(directory, upstream, app);
    }

    /// <summary>A chat completions body with one user message.</summary>
    public static JsonObject Chat(string model, string prompt, bool stream = false) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        ["stream"] = stream,
        ["temperature"] = 0.3,
    };

    public Task<HttpResponseMessage> PostAsync(JsonObject body, CancellationToken cancellationToken = default) =>
        Client.PostAsJsonAsync("/v1/chat/completions", body, cancellationToken);

    /// <summary>Reads an OpenAI error body, checking its shape: <c>{"error": {"message": "...", "type": "..."}}</c>.</summary>
    public static async Task<JsonObject> ReadErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["type"]!.GetValue<string>()));
        return error;
    }
}
