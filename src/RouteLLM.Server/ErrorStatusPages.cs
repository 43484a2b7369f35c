using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RouteLLM.Server;

/// <summary>
/// OpenAI's error body for every error status that reaches the client without one: unknown paths (file-like ones
/// included), wrong methods, and errors of the framework's own middleware.
/// </summary>
internal static class ErrorStatusPages
{
    public static Task WriteAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var request = context.Request;
        var (message, code) = status switch
        {
            StatusCodes.Status404NotFound => ($"Unknown request URL: {request.Method} {OpenAIError.Quote(request.Path.ToString())}.", "unknown_url"),
            StatusCodes.Status405MethodNotAllowed => ($"Method {request.Method} is not allowed on {OpenAIError.Quote(request.Path.ToString())}.", "method_not_allowed"),
            StatusCodes.Status413PayloadTooLarge => ("The request body is larger than this server's limit.", "request_too_large"),
            StatusCodes.Status414UriTooLong => ("The request URL is too long.", "uri_too_long"),
            StatusCodes.Status415UnsupportedMediaType => ("The request body must be JSON, sent with 'Content-Type: application/json'.", "unsupported_media_type"),
            StatusCodes.Status431RequestHeaderFieldsTooLarge => ("The request headers are too large.", "request_header_fields_too_large"),
            _ => ($"{ReasonPhrases.GetReasonPhrase(status)}.", null),
        };
        var type = status switch
        {
            StatusCodes.Status429TooManyRequests => OpenAIError.RateLimitError,
            >= 500 => "server_error",
            _ => OpenAIError.InvalidRequest,
        };
        return new OpenAIError(status, message, type, Code: code).WriteAsync(context);
    }
}
