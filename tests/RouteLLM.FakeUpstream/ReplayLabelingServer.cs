using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.FakeUpstream;

/// <summary>
/// Contestants and a judge behind one OpenAI-compatible endpoint on 127.0.0.1 that replay recorded outcomes, for the
/// own-traffic learning curve: a contestant answers a known prompt with <c>replay:ID:MODEL</c>; the judge reads the two
/// answers' tokens and prefers the model whose recorded quality on that prompt is higher (<c>[[C]]</c> when equal).
/// A prompt it does not know gets 400, so that labeling cannot silently invent an outcome.
/// </summary>
public sealed class ReplayLabelingServer : LoopbackChatServer
{
    private const string AnswerPrefix = "replay:";

    private readonly Dictionary<string, int> _ids;
    private readonly IReadOnlyList<IReadOnlyDictionary<string, double>> _qualities;

    private ReplayLabelingServer(string judgeModel, IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyDictionary<string, double>> qualities)
    {
        JudgeModel = judgeModel;
        _qualities = qualities;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < prompts.Count; i++)
        {
            _ids.TryAdd(prompts[i], i);
        }
    }

    /// <summary>The model name that judges.</summary>
    public string JudgeModel { get; }

    /// <summary>Starts the server on a free port.</summary>
    /// <param name="judgeModel">The model name that judges.</param>
    /// <param name="prompts">The prompts it knows; a prompt repeated keeps its first outcome.</param>
    /// <param name="qualities">Per prompt, each model's recorded quality (e.g. 1/0 correctness, or a judge's win share).</param>
    public static Task<ReplayLabelingServer> StartAsync(string judgeModel, IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyDictionary<string, double>> qualities)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(judgeModel);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(qualities);
        if (prompts.Count != qualities.Count)
        {
            throw new ArgumentException($"{prompts.Count} prompts but {qualities.Count} outcomes.", nameof(qualities));
        }

        return StartAsync(new ReplayLabelingServer(judgeModel, prompts, qualities));
    }

    /// <inheritdoc/>
    protected override async Task HandleAsync(HttpContext context, JsonObject request)
    {
        var model = request["model"]!.GetValue<string>();
        var question = request["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        var content = model == JudgeModel ? Judge(question) : Answer(model, question);
        if (content is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("""{"error":{"message":"No recorded outcome for this prompt or model.","type":"invalid_request_error"}}""");
            return;
        }

        await WriteCompletionAsync(context, "chatcmpl-replay", model, content,
            new { prompt_tokens = question.Length / 4 + 1, completion_tokens = content.Length / 4 + 1 });
    }

    private string? Answer(string model, string prompt) =>
        _ids.TryGetValue(prompt, out var id) && _qualities[id].ContainsKey(model)
            ? string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{id}:{model}")
            : null;

    private string? Judge(string question)
    {
        var a = Recorded(JudgedAnswer(question, 'A'));
        var b = Recorded(JudgedAnswer(question, 'B'));
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
}
