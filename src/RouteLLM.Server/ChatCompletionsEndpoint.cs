using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.DecisionLog;
using RouteLLM.Server.SharedState;
using RouteLLM.Server.Telemetry;

namespace RouteLLM.Server;

/// <summary>
/// <c>POST /v1/chat/completions</c>: checks the request, routes it with the router its model name names, relays it
/// to the routed upstream and, when configured, to the other one if the routed one fails.
/// </summary>
internal sealed partial class ChatCompletionsEndpoint(
    RouterPool routers,
    UpstreamForwarder forwarder,
    ClientKeys clientKeys,
    ServerMetrics metrics,
    MultiModelChatCompletions multiModel,
    ServedModels models,
    DecisionRecorder decisions,
    SharedRouting shared,
    IOptions<RouteLLMServerOptions> options,
    ILogger<ChatCompletionsEndpoint> logger)
{
    private readonly RouteLLMServerOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (clientKeys.Check(context.Request) is { } unauthorized)
            {
                await unauthorized.WriteAsync(context);
                return;
            }

            var (request, error) = await ReadAsync(context);
            if (error is not null)
            {
                await error.WriteAsync(context);
                return;
            }

            using (request)
            {
                await RouteAndForwardAsync(context, request!);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e);
            await new OpenAIError(StatusCodes.Status500InternalServerError, "The server failed to route the request.", "server_error").WriteAsync(context);
        }
    }

    private async Task<(ChatCompletionRequest? Request, OpenAIError? Error)> ReadAsync(HttpContext context)
    {
        // A page in a browser can post text/plain or a form to any server without asking first (CORS lets it);
        // only a JSON content type needs the server's leave, which this one never gives.
        if (!context.Request.HasJsonContentType())
        {
            return (null, new OpenAIError(
                StatusCodes.Status415UnsupportedMediaType,
                $"The request body must be JSON, sent with 'Content-Type: application/json' (got {(context.Request.ContentType is { } type ? $"'{OpenAIError.Quote(type)}'" : "none")}).",
                Code: "unsupported_media_type"));
        }

        var limit = _options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            // Answered before the server's own limit is lowered, so that Kestrel can still drain the body and the
            // client, busy sending it, reads this answer rather than a reset connection.
            return (null, TooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }

        JsonDocument document;
        try
        {
            // Parsed from the request stream into pooled buffers, returned when the request is disposed: no
            // whole-body string or array is ever made.
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, OpenAIError.BadRequest($"We could not parse the JSON body of your request: {e.Message}", code: "invalid_json"));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body size, chunking errors, too slow an upload).
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(limit)
                : new OpenAIError(e.StatusCode, $"Bad request body: {e.Message}"));
        }

        if (ChatCompletionRequest.TryCreate(document, _options.RoutedText, out var request, out var invalid))
        {
            return (request, null);
        }

        document.Dispose();
        return (null, invalid);
    }

    private static OpenAIError TooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge, $"The request body is larger than this server's limit of {limit} bytes.", Code: "request_too_large");

    private async Task RouteAndForwardAsync(HttpContext context, ChatCompletionRequest request)
    {
        if (PolicyModelName.IsPolicyName(request.Model, out var policyRouter, out var policy, out var invalidPolicy))
        {
            await (invalidPolicy?.WriteAsync(context) ?? multiModel.HandleAsync(context, request, policyRouter, policy, shadowTarget: null));
            return;
        }

        if (ShadowPolicyModelName.IsShadowPolicyName(request.Model, models, out var shadowRouter, out var shadowPolicy, out var shadowTarget, out var invalidShadow))
        {
            await (invalidShadow?.WriteAsync(context) ?? multiModel.HandleAsync(context, request, shadowRouter, shadowPolicy, shadowTarget));
            return;
        }

        var shadow = ShadowModelName.TryParse(request.Model, out var routingModel, out var shadowSendsToStrong);
        if (!RoutingModelName.TryParse(routingModel, out var routerName, out var threshold, out var invalidModel))
        {
            await invalidModel!.WriteAsync(context);
            return;
        }

        if (!forwarder.HasPair)
        {
            await OpenAIError.BadRequest(
                $"This server has no strong/weak upstream pair for '{request.Model}'; use a policy name such as router-{routerName}-wtp-50 (see GET /v1/models).", "model", "model_not_found").WriteAsync(context);
            return;
        }

        if (!routers.TryGet(routerName, out var router))
        {
            await OpenAIError.UnknownRouter(request.Model, routerName, routers.Names).WriteAsync(context);
            return;
        }

        if (threshold.IsStrongShare && router.CalibrationPromptCount == 0)
        {
            await OpenAIError.BadRequest(
                $"Router '{routerName}' has no calibration prompts, so '{OpenAIError.Quote(request.Model)}' cannot be served; use a threshold (router-{routerName}-<threshold>).",
                "model",
                "not_calibrated").WriteAsync(context);
            return;
        }

        using var span = ChatSpan.Start(request.Model);
        if (await shared.CheckBudgetAsync(context) is { } overBudget)
        {
            await overBudget.WriteAsync(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var decision = await shared.RouteAsync(router, request.RoutedText, threshold, context.RequestAborted);
        metrics.Routed(routerName, decision.RoutesToStrong, started);
        ChatSpan.Routed(decision, threshold);

        var (routed, other) = shadow
            ? shadowSendsToStrong ? (forwarder.Strong, forwarder.Weak) : (forwarder.Weak, forwarder.Strong)
            : await shared.ChooseAsync(context, decision, forwarder.Strong, forwarder.Weak);
        var responseId = decisions.Begin(context);
        var failure = await forwarder.ForwardAsync(context, request, routed, decision);
        if (failure is null)
        {
            decisions.Record(context, responseId, request, routerName, decision, shadow, routed, "ok", started);
            await shared.AnsweredAsync(context, routed);
            return;
        }

        await shared.FailedAsync(routed, failure);

        if (!_options.Failover)
        {
            decisions.Record(context, responseId, request, routerName, decision, shadow, routed, "upstream_error", started);
            await UpstreamError($"Upstream '{routed.Role}' ({routed.Model}) failed: {failure.Reason}.", failure).WriteAsync(context);
            return;
        }

        LogFailover(logger, routed.Role, other.Role, failure.Reason);
        metrics.FailedOver(routed.Role, other.Role);
        var second = await forwarder.ForwardAsync(context, request, other, decision);
        decisions.Record(context, responseId, request, routerName, decision, shadow, other, second is null ? "failover" : "upstream_error", started);
        if (second is null)
        {
            await shared.AnsweredAsync(context, other);
        }
        else
        {
            await shared.FailedAsync(other, second);
            await UpstreamError(
                $"Upstream '{routed.Role}' ({routed.Model}) failed: {failure.Reason}; failover to '{other.Role}' ({other.Model}) failed: {second.Reason}.",
                second).WriteAsync(context);
        }
    }

    // An upstream's 429 is passed on with its Retry-After, so that clients back off rather than retry at once.
    private static OpenAIError UpstreamError(string message, UpstreamFailure failure) => failure.RateLimited
        ? new(StatusCodes.Status429TooManyRequests, message, OpenAIError.RateLimitError, Code: "upstream_rate_limited", RetryAfter: failure.RetryAfter)
        : new(StatusCodes.Status502BadGateway, message, OpenAIError.UpstreamError, Code: failure.TimedOut ? "upstream_timeout" : "upstream_error");

    [LoggerMessage(21, LogLevel.Error, "Routing a chat completion failed.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Warning, "Failing over from upstream '{From}' to '{To}': {Reason}.")]
    private static partial void LogFailover(ILogger logger, string from, string to, string reason);
}
