using System.Net;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>An OpenAI-compatible upstream answered a chat completions call with an error status.</summary>
public sealed class UpstreamCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status the upstream answered.</param>
    /// <param name="retryAfter">How long the upstream asked the caller to wait (<c>Retry-After</c>), if it said.</param>
    /// <param name="message">What went wrong, with the upstream's own message.</param>
    public UpstreamCallException(HttpStatusCode statusCode, TimeSpan? retryAfter, string message)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status the upstream answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>How long the upstream asked the caller to wait before trying again, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether trying the same call again may succeed: 408, 429 and 5xx.</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
