namespace RouteLLM.Server.Limits;

/// <summary>
/// Who may use the server and how much: configuration section <c>RouteLLM:Server:Limits</c>. The defaults suit a
/// server for one team on one host; docs/SECURITY.md explains each.
/// </summary>
public sealed class ServerLimitsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RouteLLM:Server:Limits";

    /// <summary>
    /// Host names (the <c>Host</c> header, without its port) the server answers; <c>*</c> allows any, <c>*.example.com</c>
    /// any subdomain. When empty: <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> while every listening address is
    /// loopback (so that a web page cannot reach the server through DNS rebinding), any host otherwise.
    /// <c>/health</c> is never filtered. Default: empty.
    /// </summary>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>
    /// Whether the server may listen on a non-loopback address without client keys (<c>RouteLLM:Server:ApiKeys</c>),
    /// letting anyone who reaches it spend the upstream keys; it then logs a warning at start. <c>routellm serve
    /// --allow-anonymous</c> sets it. Default: false (such a server refuses to start).
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Requests per minute per client: per client key when keys are configured, per IP address otherwise. Default: 600.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Requests with a missing or wrong client key per minute per IP address; beyond it, every request from that address
    /// gets 429 until the minute is over. Default: 10.
    /// </summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 10;

    /// <summary>Requests served at once (each holds its parsed body and an upstream call). Default: 64.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests waiting, oldest first, for one of <see cref="MaxConcurrentRequests"/>; beyond it, 429. Default: 256.</summary>
    public int QueueLength { get; set; } = 256;
}
