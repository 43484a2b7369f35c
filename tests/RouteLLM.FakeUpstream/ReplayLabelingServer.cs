using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RouteLLM.FakeUpstream;

/// <summary>
/// Contestants and a judge behind one OpenAI-compatible endpoint on 127.0.0.1 that replay recorded outcomes, for the
/// own-traffic learning curve: a contestant answers a known prompt with <c>replay:ID:MODEL</c>; the judge reads the two
/// answers' tokens and prefers the model whose recorded quality on that prompt is higher (<c>[[C]]</c> when equal).
/// A prompt it does not know gets 400, so that labeling cannot silently invent an outcome.
/// </summary>
public sealed class ReplayLabelingServer : IAsyncDisposable
{
    private const string AnswerPrefix = "replay:";

    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _ids;
    private readonly IReadOnlyList<IReadOnlyDictionary<string, double>> _qualities;

    private ReplayLabelingServer(WebApplication app, string judgeModel, IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyDictionary<string, double>> qualities)
    {
        _app = app;
        JudgeModel = judgeModel;
        _qualities = qualities;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < prompts.Count; i++)
        {
            _ids.TryAdd(prompts[i], i);
        }
    }

    /// <summary>The base URL to configure, ending in <c>/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The model name that judges.</summary>
    public string JudgeModel { get; }

    /// <summary>Starts the server on a free port.</summary>
    /// <param name="judgeModel">The model name that judges.</param>
    /// <param name="prompts">The prompts it knows; a prompt repeated keeps its first outcome.</param>
    /// <param name="qualities">Per prompt, each model's recorded quality (e.g. 1/0 correctness, or a judge's win share).</param>
    public static async Task<ReplayLabelingServer> StartAsync(string judgeModel, IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyDictionary<string, double>> qualities)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(judgeModel);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(qualities);
        if (prompts.Count != qualities.Count)
        {
            throw new ArgumentException($"{prompts.Count} prompts but {qualities.Count} outcomes.", nameof(qualities));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ReplayLabelingServer(app, judgeModel, prompts, qualities);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First().TrimEnd('/') + "/v1";
        return server;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
        var model = body["model"]!.GetValue<string>();
        var question = body["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        var content = model == JudgeModel ? Judge(question) : Answer(model, question);
        if (content is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("""{"error":{"message":"No recorded outcome for this prompt or model.","type":"invalid_request_error"}}""");
            return;
        }

        var json = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-replay",
            @object = "chat.completion",
            model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = question.Length / 4 + 1, completion_tokens = content.Length / 4 + 1 },
        });
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private string? Answer(string model, string prompt) =>
        _ids.TryGetValue(prompt, out var id) && _qualities[id].ContainsKey(model)
            ? string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{id}:{model}")
            : null;

    private string? Judge(string question)
    {
        var a = Recorded(Between(question, "[The Start of Assistant A's Answer]\n", "\n[The End of Assistant A's Answer]"));
        var b = Recorded(Between(question, "[The Start of Assistant B's Answer]\n", "\n[The End of Assistant B's Answer]"));
        if (a is null || b is null)
        {
            return null;
        }

        return a > b ? "Assistant A is better. [[A]]" : b > a ? "Assistant B is better. [[B]]" : "Equally good. [[C]]";
    }

    private double? Recorded(string? answer)
    {
        if (answer is null || !answer.StartsWith(AnswerPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = answer[AnswerPrefix.Length..].Split(':', 2);
        return int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < _qualities.Count
            && parts.Length == 2 && _qualities[id].TryGetValue(parts[1], out var quality)
            ? quality
            : null;
    }

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : text[from..to];
    }
}
