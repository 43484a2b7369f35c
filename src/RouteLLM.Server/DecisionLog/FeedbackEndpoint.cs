using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Data;

namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// <c>POST /v1/feedback</c>: <c>{"response_id": "...", "rating": 1 | -1}</c> or <c>{"response_id": "...",
/// "preferred_model": "MODEL"}</c>, stored beside the decision log. Bad input gets 400 naming the field; an id the
/// log does not hold gets 404.
/// </summary>
internal sealed class FeedbackEndpoint(DecisionLogWriter writer, UpstreamForwarder upstreams, ClientKeys clientKeys)
{
    private const int MaxBodyBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        if (clientKeys.Check(context.Request) is { } unauthorized)
        {
            await unauthorized.WriteAsync(context);
            return;
        }

        if (!writer.Enabled)
        {
            await new OpenAIError(StatusCodes.Status404NotFound, "Feedback is off on this server: it needs RouteLLM:DecisionLog:Directory.", Code: "feedback_disabled").WriteAsync(context);
            return;
        }

        var (feedback, error) = await ReadAsync(context);
        if (error is not null)
        {
            await error.WriteAsync(context);
            return;
        }

        writer.Write(feedback!);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(new FeedbackReceipt(feedback!.ResponseId), FeedbackJson.Default.FeedbackReceipt, contentType: null, context.RequestAborted);
    }

    private async Task<(FeedbackEntry? Feedback, OpenAIError? Error)> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, new OpenAIError(StatusCodes.Status413PayloadTooLarge, $"Feedback bodies are limited to {MaxBodyBytes} bytes.", Code: "request_too_large"));
        }

        JsonDocument document;
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            if (body.Length > MaxBodyBytes)
            {
                return (null, new OpenAIError(StatusCodes.Status413PayloadTooLarge, $"Feedback bodies are limited to {MaxBodyBytes} bytes.", Code: "request_too_large"));
            }

            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return (null, OpenAIError.BadRequest($"We could not parse the JSON body of your request: {e.Message}", code: "invalid_json"));
        }

        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    private (FeedbackEntry? Feedback, OpenAIError? Error) Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, OpenAIError.BadRequest("The body must be a JSON object.", code: "invalid_json"));
        }

        if (!root.TryGetProperty("response_id", out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 } id)
        {
            return (null, OpenAIError.BadRequest("'response_id' is required: the x-routellm-response-id header (or the body's id) of the response.", "response_id", "invalid_value"));
        }

        var hasRating = root.TryGetProperty("rating", out var ratingElement) && ratingElement.ValueKind != JsonValueKind.Null;
        var hasPreferred = root.TryGetProperty("preferred_model", out var preferredElement) && preferredElement.ValueKind != JsonValueKind.Null;
        if (hasRating == hasPreferred)
        {
            return (null, OpenAIError.BadRequest("Give either 'rating' (1 or -1) or 'preferred_model', not both and not neither.", hasRating ? "preferred_model" : "rating", "invalid_value"));
        }

        int? rating = null;
        if (hasRating)
        {
            if (ratingElement.ValueKind != JsonValueKind.Number || !ratingElement.TryGetInt32(out var value) || value is not (1 or -1))
            {
                return (null, OpenAIError.BadRequest($"'rating' must be 1 (thumbs up) or -1 (thumbs down), not {ratingElement.GetRawText()}.", "rating", "invalid_value"));
            }

            rating = value;
        }

        string? preferred = null;
        if (hasPreferred)
        {
            preferred = preferredElement.ValueKind == JsonValueKind.String ? preferredElement.GetString() : null;
            var served = ServedModels();
            if (preferred is null || !served.Contains(preferred))
            {
                return (null, OpenAIError.BadRequest(
                    $"'preferred_model' must be one of this server's models ({string.Join(", ", served)}), not {preferredElement.GetRawText()}.", "preferred_model", "invalid_value"));
            }
        }

        if (!writer.IsKnown(id))
        {
            return (null, new OpenAIError(StatusCodes.Status404NotFound, $"No response with id '{id}' is in this server's decision log.", Param: "response_id", Code: "response_not_found"));
        }

        return (new FeedbackEntry { Time = DateTimeOffset.UtcNow, ResponseId = id, Rating = rating, PreferredModel = preferred }, null);
    }

    // The strong/weak pair's models and those that policy names route among: the models a response may have come from.
    private List<string> ServedModels() =>
        [.. (upstreams.HasPair ? [upstreams.Strong.Model, upstreams.Weak.Model] : Array.Empty<string>()).Concat(upstreams.Models.All.Select(u => u.Model)).Distinct(StringComparer.Ordinal)];
}

/// <summary>The answer to stored feedback.</summary>
internal sealed record FeedbackReceipt(string ResponseId)
{
    public string Object { get; } = "feedback";

    public bool Stored { get; } = true;
}

[JsonSerializable(typeof(FeedbackReceipt))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class FeedbackJson : JsonSerializerContext;
