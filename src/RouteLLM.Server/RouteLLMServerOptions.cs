using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>The server's options: configuration section <c>RouteLLM:Server</c> (routers are in <c>RouteLLM:Routers</c>).</summary>
public sealed class RouteLLMServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RouteLLM:Server";

    /// <summary>The strong (expensive) model's upstream.</summary>
    public UpstreamOptions Strong { get; set; } = new();

    /// <summary>The weak (cheap) model's upstream.</summary>
    public UpstreamOptions Weak { get; set; } = new();

    /// <summary>
    /// The upstreams that policy model names (<c>router-NAME-wtp-LAMBDA</c>, <c>-budget-USD</c>, <c>-floor-X</c>) route
    /// among, one per model, priced by the catalogue (<c>RouteLLM:Models</c> or <c>RouteLLM:Catalogue</c>). When set,
    /// <see cref="Strong"/> and <see cref="Weak"/> may be left out (threshold names then answer 400).
    /// </summary>
    public IList<UpstreamOptions> Upstreams { get; } = new List<UpstreamOptions>();

    /// <summary>
    /// Whether a request whose upstream fails (connection error, timeout, 408, 429, 5xx, or rejected credentials) is
    /// sent to the other upstream; otherwise the client gets 502. A stream fails over only before its first byte.
    /// Default: false.
    /// </summary>
    public bool Failover { get; set; }

    /// <summary>
    /// Longest wait for an upstream: for the whole response, or for a stream's headers. Default: 120 s.
    /// </summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest silence between two lines of an upstream stream before it is abandoned. Default: 30 s.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait to open a connection to an upstream. Default: 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long requests in flight may finish after the server is asked to stop (SIGTERM, Ctrl+C); a stream still
    /// running then gets a final error event (code <c>server_shutting_down</c>). The host's shutdown timeout is this plus
    /// <see cref="ShutdownGrace"/>. Default: 30 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the host's shutdown timeout adds to <see cref="DrainTimeout"/>, for cut streams to send their last event.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(2);

    /// <summary>Largest request body accepted; larger ones get 413. Default: 4 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Keys clients must send as <c>Authorization: Bearer KEY</c> on <c>/v1/*</c>; when empty, no key is needed.
    /// <c>/health</c> never needs one.
    /// </summary>
    public IList<string> ApiKeys { get; } = new List<string>();

    /// <summary>
    /// Model names listed by <c>GET /v1/models</c>, e.g. <c>router-mf-0.11593</c> or <c>router-mf@0.5</c>; when empty,
    /// <c>router-NAME-0.5</c> for each router. Requests may use any valid name, listed or not.
    /// </summary>
    public IList<string> Models { get; } = new List<string>();

    /// <summary>Which text of a request is routed. Default: the last user message, as RouteLLM routes.</summary>
    public RoutedText RoutedText { get; set; } = RoutedText.LastUserMessage;
}
