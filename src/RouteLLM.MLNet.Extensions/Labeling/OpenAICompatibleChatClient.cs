using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// A minimal non-streaming <see cref="IChatClient"/> for any OpenAI-compatible <c>/chat/completions</c> endpoint:
/// text messages in, the first choice's text and the <c>usage</c> token counts out. Error statuses become an
/// <see cref="UpstreamCallException"/> that carries the upstream's <c>Retry-After</c>.
/// </summary>
public sealed class OpenAICompatibleChatClient : IChatClient
{
    private readonly HttpClient _http;
    private readonly bool _leaveOpen;
    private readonly Uri _completions;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string _model;

    /// <summary>Creates a client for one model of one endpoint.</summary>
    /// <param name="baseUrl">The API's base URL, up to and including the version, e.g. <c>https://api.openai.com/v1</c>.</param>
    /// <param name="model">The model name sent upstream.</param>
    /// <param name="apiKey">The bearer key; none when null or empty.</param>
    /// <param name="httpClient">The HTTP client to send with; a new one when null.</param>
    /// <param name="leaveOpen">Whether disposing this client leaves <paramref name="httpClient"/> open.</param>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http(s) URL, or <paramref name="model"/> is empty.</exception>
    public OpenAICompatibleChatClient(string baseUrl, string model, string? apiKey = null, HttpClient? httpClient = null, bool leaveOpen = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{baseUrl}' is not an absolute http(s) URL.", nameof(baseUrl));
        }

        _completions = new Uri(baseUrl.TrimEnd('/') + "/chat/completions");
        _model = model;
        _authorization = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        _leaveOpen = httpClient is not null && leaveOpen;
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = JsonContent.Create(Body(messages, options)) };
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new UpstreamCallException(response.StatusCode, RetryAfter(response.Headers.RetryAfter),
                $"{_completions} answered {(int)response.StatusCode} for model '{_model}': {Truncate(text)}");
        }

        return Parse(text);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: labeling needs whole answers with their usage.</exception>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{nameof(OpenAICompatibleChatClient)} does not stream.");

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai-compatible", _completions, _model)
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _http.Dispose();
        }
    }

    private JsonObject Body(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? _model,
            ["messages"] = new JsonArray([.. messages.Select(m => new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })]),
        };
        if (options?.MaxOutputTokens is { } maxTokens)
        {
            body["max_tokens"] = maxTokens;
        }

        if (options?.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        return body;
    }

    private ChatResponse Parse(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var message = root.GetProperty("choices")[0].GetProperty("message");
            var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, content))
            {
                ModelId = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : _model,
            };
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                response.Usage = new UsageDetails
                {
                    InputTokenCount = usage.TryGetProperty("prompt_tokens", out var input) ? input.GetInt64() : null,
                    OutputTokenCount = usage.TryGetProperty("completion_tokens", out var output) ? output.GetInt64() : null,
                };
            }

            return response;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new InvalidDataException($"{_completions} answered model '{_model}' with a body that is not a chat completion: {Truncate(text)}", e);
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
