using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.FakeUpstream;

/// <summary>
/// An OpenAI-compatible chat completions server on 127.0.0.1, really listening: it answers "answered by MODEL", with
/// <c>model</c> set to <c>MODEL-snapshot</c> (as OpenAI reports dated snapshots), and can be told, per model, to fail,
/// stall, or hold each stream chunk until released.
/// </summary>
public sealed class FakeUpstreamServer : LoopbackChatServer
{
    private readonly ConcurrentDictionary<string, UpstreamBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Number of chunks in each stream, before <c>[DONE]</c>. Default: 3.</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>When set, every stream chunk after the first waits for a release of this semaphore.</summary>
    public SemaphoreSlim? ChunkGate { get; set; }

    /// <summary>The Authorization header of the last request, if any.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>Starts the server.</summary>
    /// <param name="url">Where to listen; port 0 picks a free one.</param>
    public static Task<FakeUpstreamServer> StartAsync(string url = "http://127.0.0.1:0") => StartAsync(new FakeUpstreamServer(), url);

    /// <summary>Sets how requests for <paramref name="model"/> are answered.</summary>
    public void Behave(string model, UpstreamBehaviour behaviour) => _behaviours[model] = behaviour;

    /// <summary>Number of requests that asked for <paramref name="model"/>.</summary>
    public int CallsFor(string model) => _calls.GetValueOrDefault(model);

    /// <inheritdoc/>
    protected override async Task HandleAsync(HttpContext context, JsonObject request)
    {
        var model = request["model"]!.GetValue<string>();
        var stream = request["stream"]?.GetValue<bool>() == true;
        var authorization = context.Request.Headers.Authorization.ToString();
        LastAuthorization = authorization;
        _calls.AddOrUpdate(model, 1, (_, n) => n + 1);
        switch (_behaviours.GetValueOrDefault(model))
        {
            case UpstreamBehaviour.Fail500:
                await WriteErrorAsync(context, 500, "The server had an error while processing your request.");
                return;
            case UpstreamBehaviour.Stall:
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                return;
            case UpstreamBehaviour.BadRequestQuotingKey:
                await WriteErrorAsync(context, 400, $"Unsupported parameter (request sent with '{authorization}').");
                return;
            case UpstreamBehaviour.UnauthorizedQuotingKey:
                await WriteErrorAsync(context, 401, $"Incorrect API key provided: '{authorization}'.");
                return;
            case UpstreamBehaviour.RateLimited:
                context.Response.Headers.RetryAfter = "7";
                await WriteErrorAsync(context, 429, "Rate limit reached for requests.");
                return;
        }

        if (!stream)
        {
            await WriteCompletionAsync(context, "chatcmpl-fake", model + "-snapshot", "answered by " + model,
                new { prompt_tokens = 5, completion_tokens = 3, total_tokens = 8 });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < StreamChunks; i++)
        {
            if (i > 0 && ChunkGate is { } gate)
            {
                await gate.WaitAsync(context.RequestAborted);
            }

            if (i > 0 && _behaviours.GetValueOrDefault(model) == UpstreamBehaviour.StallMidStream)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            var chunk = JsonSerializer.Serialize(new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion.chunk",
                created = 1700000000,
                model = model + "-snapshot",
                choices = new[] { new { index = 0, delta = new { content = $"chunk {i} by {model}" } } },
            });
            await context.Response.WriteAsync($"data: {chunk}\r\n\r\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (_behaviours.GetValueOrDefault(model) != UpstreamBehaviour.EndStreamWithoutDone)
        {
            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type = "server_error" } }));
    }
}
