using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// A checked <c>POST /v1/chat/completions</c> body. Only what routing needs is checked (model, messages, stream);
/// every other field travels upstream unchanged, for the upstream to judge.
/// </summary>
internal sealed class ChatCompletionRequest : IDisposable
{
    private readonly JsonDocument _document;

    private ChatCompletionRequest(JsonDocument document, string model, bool stream, string routedText)
    {
        _document = document;
        Model = model;
        Stream = stream;
        RoutedText = routedText;
    }

    /// <summary>The model name the client asked for (a routing model name).</summary>
    public string Model { get; }

    /// <summary>Whether the client asked for a stream of server-sent events.</summary>
    public bool Stream { get; }

    /// <summary>The text the router scores.</summary>
    public string RoutedText { get; }

    /// <summary>Every message's text, one per line: what an upstream is paid to read, for cost estimates.</summary>
    public string ConversationText => SelectText(_document.RootElement.GetProperty("messages"), MLNet.Extensions.RoutedText.Conversation)!;

    /// <summary>Checks a parsed body; takes ownership of <paramref name="document"/> on success.</summary>
    public static bool TryCreate(JsonDocument document, RoutedText routedText, out ChatCompletionRequest? request, out OpenAIError? error)
    {
        request = null;
        var root = document.RootElement;
        error = root.ValueKind != JsonValueKind.Object ? OpenAIError.BadRequest("The request body must be a JSON object.", code: "invalid_json")
            : JsonText.FindInvalid(root) is { } notText ? OpenAIError.BadRequest(
                $"'{notText}' is not valid text: it holds bytes that are not UTF-8, or an escape of half a surrogate pair (e.g. \\ud800).", notText, "invalid_encoding")
            : !root.TryGetProperty("model", out var model) ? OpenAIError.BadRequest("You must provide a model parameter.", "model")
            : model.ValueKind != JsonValueKind.String ? OpenAIError.BadRequest($"'model' must be a string, not {Describe(model)}.", "model", "invalid_type")
            : !root.TryGetProperty("messages", out var messages) ? OpenAIError.BadRequest("'messages' is a required property.", "messages")
            : messages.ValueKind != JsonValueKind.Array ? OpenAIError.BadRequest($"'messages' must be an array, not {Describe(messages)}.", "messages", "invalid_type")
            : messages.GetArrayLength() == 0 ? OpenAIError.BadRequest("'messages' must contain at least one message.", "messages", "empty_array")
            : CheckMessages(messages) ?? CheckStream(root);
        if (error is not null)
        {
            return false;
        }

        var text = SelectText(root.GetProperty("messages"), routedText);
        if (text is null)
        {
            error = OpenAIError.BadRequest("'messages' must contain a user message: the router scores the last one.", "messages");
            return false;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        request = new ChatCompletionRequest(document, root.GetProperty("model").GetString()!, stream, text);
        return true;
    }

    /// <summary>
    /// Writes the body to send upstream, the client's with <c>model</c> set to <paramref name="upstreamModel"/>,
    /// through pooled pipe buffers: no second copy of a large body is ever held whole.
    /// </summary>
    public async Task WriteUpstreamBodyAsync(Stream destination, string upstreamModel, CancellationToken cancellationToken)
    {
        var pipe = PipeWriter.Create(destination, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var writer = new Utf8JsonWriter(pipe))
        {
            WriteWithModel(writer, _document.RootElement, upstreamModel);
        }

        await pipe.CompleteAsync().ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a JSON object with its top-level <c>model</c> set to <paramref name="model"/> (added if absent), followed
    /// by any fields <paramref name="addFields"/> writes.
    /// </summary>
    public static void WriteWithModel(Utf8JsonWriter writer, JsonElement root, string model, Action<Utf8JsonWriter>? addFields = null)
    {
        writer.WriteStartObject();
        writer.WriteString("model", model);
        addFields?.Invoke(writer);
        foreach (var property in root.EnumerateObject())
        {
            if (!property.NameEquals("model"))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    public void Dispose() => _document.Dispose();

    private static OpenAIError? CheckMessages(JsonElement messages)
    {
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var param = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                return OpenAIError.BadRequest($"'{param}' must be an object, not {Describe(message)}.", param, "invalid_type");
            }

            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return OpenAIError.BadRequest($"'{param}.role' must be a string.", $"{param}.role", "invalid_type");
            }

            if (message.TryGetProperty("content", out var content) && content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
            {
                return OpenAIError.BadRequest($"'{param}.content' must be a string, an array of content parts or null, not {Describe(content)}.", $"{param}.content", "invalid_type");
            }

            if (content.ValueKind == JsonValueKind.Array && CheckContentParts(content, $"{param}.content") is { } partError)
            {
                return partError;
            }
        }

        return null;
    }

    // The routed text is read from the parts, so a part's type and a text part's text must be strings before routing.
    private static OpenAIError? CheckContentParts(JsonElement parts, string param)
    {
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partParam = $"{param}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                return OpenAIError.BadRequest($"'{param}' parts must be objects.", partParam, "invalid_type");
            }

            if (part.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.String)
            {
                return OpenAIError.BadRequest($"'{partParam}.type' must be a string, not {Describe(type)}.", $"{partParam}.type", "invalid_type");
            }

            if (type.ValueKind == JsonValueKind.String && type.ValueEquals("text")
                && (!part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String))
            {
                return OpenAIError.BadRequest($"'{partParam}.text' must be a string in a text part.", $"{partParam}.text", "invalid_type");
            }
        }

        return null;
    }

    private static OpenAIError? CheckStream(JsonElement root) =>
        root.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)
            ? OpenAIError.BadRequest($"'stream' must be a boolean, not {Describe(stream)}.", "stream", "invalid_type")
            : null;

    private static string? SelectText(JsonElement messages, RoutedText routedText)
    {
        if (routedText == MLNet.Extensions.RoutedText.LastUserMessage)
        {
            string? last = null;
            foreach (var message in messages.EnumerateArray())
            {
                if (message.GetProperty("role").ValueEquals("user"))
                {
                    last = MessageText(message);
                }
            }

            return last;
        }

        var all = new StringBuilder();
        foreach (var message in messages.EnumerateArray())
        {
            all.Append(all.Length == 0 ? "" : "\n").Append(MessageText(message));
        }

        return all.ToString();
    }

    // A message's text: its string content, or its text parts joined by newlines (images and audio carry none); the
    // parts' types and texts are strings, checked by CheckContentParts before a request exists.
    private static string MessageText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        return string.Join('\n', content.EnumerateArray()
            .Where(part => part.TryGetProperty("type", out var type) && type.ValueEquals("text"))
            .Select(part => part.GetProperty("text").GetString()));
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
