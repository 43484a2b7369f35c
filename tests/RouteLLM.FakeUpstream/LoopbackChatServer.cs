using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RouteLLM.FakeUpstream;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c> endpoint on 127.0.0.1, really listening: the Kestrel start,
/// stop and port that every fake server shares. A subclass answers each request's parsed JSON body.
/// </summary>
public abstract class LoopbackChatServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The base URL to configure, ending in <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => App.WaitForShutdownAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        OnStopping();
        await App.StopAsync();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts <paramref name="server"/> listening on <paramref name="url"/> and returns it.</summary>
    /// <param name="server">The server, not yet started.</param>
    /// <param name="url">Where to listen; port 0 picks a free one.</param>
    protected static async Task<TServer> StartAsync<TServer>(TServer server, string url = "http://127.0.0.1:0")
        where TServer : LoopbackChatServer
    {
        ArgumentNullException.ThrowIfNull(server);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async context =>
        {
            var request = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
            await server.HandleAsync(context, request);
        });
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = app.Urls.First().TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>Answers one chat completions request.</summary>
    /// <param name="context">The request and its response.</param>
    /// <param name="request">The request's JSON body.</param>
    protected abstract Task HandleAsync(HttpContext context, JsonObject request);

    /// <summary>Called before the server stops, e.g. to release held requests.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>Writes a non-streamed chat completion whose one choice says <paramref name="content"/>.</summary>
    /// <param name="context">The request and its response.</param>
    /// <param name="id">The completion's id.</param>
    /// <param name="model">The model it reports.</param>
    /// <param name="content">The assistant message.</param>
    /// <param name="usage">The token usage it reports.</param>
    protected static Task WriteCompletionAsync(HttpContext context, string id, string model, string content, object usage)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id,
            @object = "chat.completion",
            created = 1700000000,
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage,
        }), context.RequestAborted);
    }

    /// <summary>
    /// The answer of assistant <paramref name="assistant"/> (A or B) in a pairwise judge question, or null when the
    /// question does not hold it.
    /// </summary>
    protected static string? JudgedAnswer(string question, char assistant)
    {
        ArgumentNullException.ThrowIfNull(question);
        var start = $"[The Start of Assistant {assistant}'s Answer]\n";
        var from = question.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = question.IndexOf($"\n[The End of Assistant {assistant}'s Answer]", from, StringComparison.Ordinal);
        return to < 0 ? null : question[from..to];
    }

    private WebApplication App => _app ?? throw new InvalidOperationException("The server has not been started.");
}
