using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server;

/// <summary>An error as OpenAI's API reports it: an HTTP status and <c>{"error": {...}}</c>.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Message">What is wrong, for the client; never holds a key.</param>
/// <param name="Type">OpenAI's error type, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param">The request field at fault, if any.</param>
/// <param name="Code">A machine-readable code, if any.</param>
/// <param name="RetryAfter">When set, sent as the <c>Retry-After</c> header (whole seconds, rounded up).</param>
internal sealed record OpenAIError(
    int Status, string Message, string Type = OpenAIError.InvalidRequest, string? Param = null, string? Code = null, TimeSpan? RetryAfter = null)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string UpstreamError = "upstream_error";
    public const string RateLimitError = "rate_limit_error";

    // Long enough to recognise a value, short enough that an error never echoes a megabyte back.
    private const int QuotedLength = 64;

    public static OpenAIError BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequest, param, code);

    /// <summary>404 for a model name whose router this server does not have; lists the routers it has.</summary>
    public static OpenAIError UnknownRouter(string model, string routerName, IEnumerable<string> routers) => new(
        StatusCodes.Status404NotFound,
        $"The model '{Quote(model)}' names router '{Quote(routerName)}', which this server does not have. Routers: {string.Join(", ", routers)}.",
        Param: "model",
        Code: "model_not_found");

    /// <summary>A client's value as an error message may quote it: at most a short prefix, marked when cut.</summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        if (value.Length <= QuotedLength)
        {
            return value.ToString();
        }

        // Never cut a surrogate pair in two: half of one is not text.
        var cut = char.IsHighSurrogate(value[QuotedLength - 1]) ? QuotedLength - 1 : QuotedLength;
        return $"{value[..cut]}… ({value.Length} characters)";
    }

    /// <summary>Writes the error, unless the response has already started (then only the connection can say so).</summary>
    public Task WriteAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = Status;
        if (RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(0, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsJsonAsync(new ErrorBody(new ErrorDetail(Message, Type, Param, Code)), ServerJsonContext.Api.ErrorBody, contentType: null, context.RequestAborted);
    }
}
