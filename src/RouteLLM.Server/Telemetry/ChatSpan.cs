using System.Diagnostics;
using System.Globalization;
using RouteLLM.MLNet.Extensions;
using RouteLLM.Server.SharedState;

namespace RouteLLM.Server.Telemetry;

/// <summary>
/// The span of one chat completion, named and tagged by OpenTelemetry's GenAI semantic conventions:
/// <c>gen_ai.request.model</c> is the routing model the client asked for (it names the router),
/// <c>gen_ai.response.model</c> the model that answered, <c>gen_ai.usage.*</c> its tokens; <c>routellm.*</c> tags
/// hold the routing: router, policy, score and decision.
/// </summary>
internal static class ChatSpan
{
    /// <summary>The <see cref="ActivitySource"/> name of the server's spans.</summary>
    public const string SourceName = RouteLLMServer.MeterName;

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of a chat completion for <paramref name="requestedModel"/>; null when nobody listens.</summary>
    public static Activity? Start(string requestedModel)
    {
        var span = Source.StartActivity($"chat {requestedModel}", ActivityKind.Internal);
        span?.SetTag("gen_ai.operation.name", "chat");
        span?.SetTag("gen_ai.request.model", requestedModel);
        return span;
    }

    /// <summary>Adds the routing decision to the current chat span.</summary>
    public static void Routed(RoutingDecision decision, RoutingThreshold threshold)
    {
        if (Current() is not { } span)
        {
            return;
        }

        span.SetTag("routellm.router", decision.Router.Name);
        span.SetTag("routellm.router.version", decision.Router.Version);
        span.SetTag("routellm.policy", threshold.IsStrongShare
            ? "strong-share:" + threshold.Value.ToString(CultureInfo.InvariantCulture)
            : "threshold:" + threshold.Value.ToString(CultureInfo.InvariantCulture));
        span.SetTag("routellm.score", (double)decision.StrongWinRate);
        span.SetTag("routellm.threshold", (double)decision.Threshold);
        span.SetTag("routellm.decision", decision.RoutesToStrong ? "strong" : "weak");
    }

    /// <summary>Adds the model that answered and its usage to the current chat span.</summary>
    public static void Answered(string model, TokenUsage? usage)
    {
        if (Current() is not { } span)
        {
            return;
        }

        span.SetTag("gen_ai.response.model", model);
        if (usage is not null)
        {
            span.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
            span.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
            span.SetTag("routellm.cost_usd", (double)usage.Usd);
        }
    }

    private static Activity? Current() => Activity.Current is { } span && span.Source == Source ? span : null;
}
