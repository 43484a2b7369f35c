using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server;

/// <summary>An error as OpenAI's API reports it: an HTTP status and <c>{"error": {...}}</c>.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Message">What is wrong, for the client; never holds a key.</param>
/// <param name="Type">OpenAI's error type, e.g. <c>invalid_request_error</c>.</param>
/// <param name="Param">The request field at fault, if any.</param>
/// <param name="Code">A machine-readable code, if any.</param>
internal sealed record OpenAIError(int Status, string Message, string Type = OpenAIError.InvalidRequest, string? Param = null, string? Code = null)
{
    public const string InvalidRequest = "invalid_request_error";
    public const string UpstreamError = "upstream_error";

    public static OpenAIError BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, InvalidRequest, param, code);

    /// <summary>Writes the error, unless the response has already started (then only the connection can say so).</summary>
    public Task WriteAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = Status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(new ErrorDetail(Message, Type, Param, Code)), ServerJsonContext.Api.ErrorBody, contentType: null, context.RequestAborted);
    }
}
