namespace RouteLLM.Server;

/// <summary>An OpenAI-compatible chat completions service that answers for one side of the router's model pair.</summary>
public sealed class UpstreamOptions
{
    /// <summary>The API's base URL, up to and including the version, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The model name sent upstream, and returned to clients as the model that answered.</summary>
    public string Model { get; set; } = "";

    /// <summary>
    /// The bearer key sent upstream; none when empty. Give it through the environment
    /// (<c>RouteLLM__Server__Strong__ApiKey</c>) rather than a file. It never appears in logs or responses.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The name of the environment variable that holds the bearer key (e.g. <c>OPENAI_API_KEY</c>), so that a settings
    /// file names the key without holding it; used when <see cref="ApiKey"/> is empty. The server does not start when
    /// the variable is named but not set.
    /// </summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>The key to send: <see cref="ApiKey"/>, else the value of <see cref="ApiKeyVariable"/>; null when neither is set.</summary>
    internal string? ResolveApiKey() =>
        !string.IsNullOrEmpty(ApiKey) ? ApiKey
        : string.IsNullOrEmpty(ApiKeyVariable) ? null
        : Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null;
}
