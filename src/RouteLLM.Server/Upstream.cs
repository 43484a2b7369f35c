using System.Net.Http.Headers;
using RouteLLM.MLNet.Catalogue;

namespace RouteLLM.Server;

/// <summary>
/// One OpenAI-compatible upstream: a long-lived <see cref="HttpClient"/> whose connections are recycled so that DNS
/// changes are seen. Its key is sent as a bearer header and kept out of everything else.
/// </summary>
internal sealed class Upstream : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly HttpClient _client;
    private readonly Uri _completions;
    private readonly AuthenticationHeaderValue? _authorization;

    public Upstream(string role, UpstreamOptions options, CatalogueModel? price, TimeSpan connectTimeout)
    {
        Role = role;
        Options = options;
        Price = price;
        Model = options.Model;
        ApiKey = options.ResolveApiKey();
        _completions = new Uri(options.BaseUrl.TrimEnd('/') + "/chat/completions");
        _authorization = ApiKey is null ? null : new AuthenticationHeaderValue("Bearer", ApiKey);
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        })
        {
            // Each call has its own deadline (a stream may legitimately run for minutes).
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary><c>strong</c> or <c>weak</c>.</summary>
    public string Role { get; }

    /// <summary>The upstream's settings.</summary>
    public UpstreamOptions Options { get; }

    /// <summary>The catalogue entry of <see cref="Model"/>, which prices its answers; null when the server has no catalogue.</summary>
    public CatalogueModel? Price { get; }

    /// <summary>The model name sent upstream and reported to clients.</summary>
    public string Model { get; }

    /// <summary>The upstream key, or null; for redaction only.</summary>
    public string? ApiKey { get; }

    /// <summary>Sends a chat completions request and returns once the response headers have arrived.</summary>
    public Task<HttpResponseMessage> SendAsync(ChatCompletionRequest body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = new UpstreamRequestContent(body, Model) };
        request.Headers.Authorization = _authorization;
        if (body.Stream)
        {
            request.Headers.Accept.Add(EventStream);
        }

        return _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
