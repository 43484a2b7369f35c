using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// An <see cref="IChatClient"/> that sends each request to a strong or a weak client, by a RouteLLM router's
/// P(strong model wins) for the request against a threshold (or a calibrated target share of strong calls).
/// </summary>
/// <remarks>
/// <para>
/// Every request reads the router's current version from the <see cref="RouterPool"/>, so a router zip replaced on
/// disk takes effect without rebuilding the client. The response's <see cref="ChatResponse.ModelId"/> (and each
/// streaming update's) names the model that answered: the one the inner client reported, or else its metadata's
/// default model, or else the router's strong/weak model name. The decision is recorded on an activity of
/// <see cref="ActivitySourceName"/> (tags <c>routellm.router</c>, <c>routellm.strong_win_rate</c>,
/// <c>routellm.threshold</c>, <c>routellm.route</c>, <c>routellm.model</c>) and in the response's
/// <see cref="ChatResponse.AdditionalProperties"/> (<c>routellm.route</c>, <c>routellm.strong_win_rate</c>).
/// </para>
/// <para>
/// Microsoft.Extensions.AI 10.11 has an experimental abstract <c>Microsoft.Extensions.AI.RoutingChatClient</c>; this
/// class neither derives from it (it depends on no experimental API) nor shares its name (which would make every file
/// that imports both namespaces ambiguous). By default this client owns both inner clients and disposes them when
/// it is disposed, as <see cref="DelegatingChatClient"/> disposes its inner client; pass <c>leaveOpen: true</c> to
/// keep them open.
/// </para>
/// </remarks>
public sealed class RouteLLMChatClient : IChatClient
{
    /// <summary>The name of the <see cref="ActivitySource"/> the routing activities come from.</summary>
    public const string ActivitySourceName = "RouteLLM.MLNet.Extensions";

    /// <summary>The key of the response property that says which client answered: <c>strong</c> or <c>weak</c>.</summary>
    public const string RouteProperty = "routellm.route";

    /// <summary>The key of the response property that holds the router's P(strong model wins) for the request.</summary>
    public const string StrongWinRateProperty = "routellm.strong_win_rate";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly RouterPool _routers;
    private readonly bool _leaveOpen;

    /// <summary>Creates a routing client.</summary>
    /// <param name="strongClient">The client of the strong (expensive) model.</param>
    /// <param name="weakClient">The client of the weak (cheap) model.</param>
    /// <param name="routers">The pool that holds the router.</param>
    /// <param name="routerName">The router's name in <paramref name="routers"/>.</param>
    /// <param name="threshold">A fixed threshold, or a target share of strong calls (the router needs calibration prompts).</param>
    /// <param name="leaveOpen">
    /// <see langword="true"/> to leave both clients open when this client is disposed; by default (<see langword="false"/>) they are disposed with it.
    /// </param>
    /// <exception cref="ArgumentNullException">A client, the pool or the name is null.</exception>
    /// <exception cref="ArgumentException">
    /// The two clients are the same instance, the pool has no such router, or a share is asked of a router without calibration prompts.
    /// </exception>
    public RouteLLMChatClient(
        IChatClient strongClient, IChatClient weakClient, RouterPool routers, string routerName, RoutingThreshold threshold, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(strongClient);
        ArgumentNullException.ThrowIfNull(weakClient);
        ArgumentNullException.ThrowIfNull(routers);
        ArgumentNullException.ThrowIfNull(routerName);
        if (ReferenceEquals(strongClient, weakClient))
        {
            throw new ArgumentException("The strong and weak clients are the same instance; routing between them would change nothing.", nameof(weakClient));
        }

        var router = routers.Get(routerName);
        if (threshold.IsStrongShare && router.CalibrationPromptCount == 0)
        {
            throw new ArgumentException($"Router '{routerName}' has no calibration prompts, so it cannot route to a share of strong calls.", nameof(threshold));
        }

        StrongClient = strongClient;
        WeakClient = weakClient;
        _routers = routers;
        RouterName = routerName;
        Threshold = threshold;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The client of the strong model.</summary>
    public IChatClient StrongClient { get; }

    /// <summary>The client of the weak model.</summary>
    public IChatClient WeakClient { get; }

    /// <summary>The router's name in its pool.</summary>
    public string RouterName { get; }

    /// <summary>The threshold, or target share of strong calls.</summary>
    public RoutingThreshold Threshold { get; }

    /// <summary>Which text of the conversation is scored. Default: <see cref="RoutedText.LastUserMessage"/>.</summary>
    public RoutedText RoutedText { get; set; } = RoutedText.LastUserMessage;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (decision, client, fallbackModelId) = await RouteAsync(messages, cancellationToken).ConfigureAwait(false);
        using var activity = StartActivity(decision);
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.ModelId ??= fallbackModelId;
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[RouteProperty] = RouteName(decision);
        response.AdditionalProperties[StrongWinRateProperty] = decision.StrongWinRate;
        activity?.SetTag("routellm.model", response.ModelId);
        return response;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (decision, client, fallbackModelId) = await RouteAsync(messages, cancellationToken).ConfigureAwait(false);
        using var activity = StartActivity(decision);
        var first = true;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            update.ModelId ??= fallbackModelId;
            if (first)
            {
                update.AdditionalProperties ??= [];
                update.AdditionalProperties[RouteProperty] = RouteName(decision);
                update.AdditionalProperties[StrongWinRateProperty] = decision.StrongWinRate;
                activity?.SetTag("routellm.model", update.ModelId);
                first = false;
            }

            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Disposes both inner clients, unless the client was made with <c>leaveOpen: true</c>.</summary>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            StrongClient.Dispose();
            WeakClient.Dispose();
        }
    }

    private static string RouteName(RoutingDecision decision) => decision.RoutesToStrong ? "strong" : "weak";

    private static Activity? StartActivity(RoutingDecision decision)
    {
        var activity = Source.StartActivity("routellm.route");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("routellm.router", decision.Router.Name);
            activity.SetTag("routellm.router.version", decision.Router.Version);
            activity.SetTag("routellm.strong_win_rate", decision.StrongWinRate);
            activity.SetTag("routellm.threshold", decision.Threshold);
            activity.SetTag("routellm.route", RouteName(decision));
        }

        return activity;
    }

    private async ValueTask<(RoutingDecision Decision, IChatClient Client, string FallbackModelId)> RouteAsync(
        IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var decision = await _routers.Get(RouterName).RouteAsync(ConversationText.Select(messages, RoutedText), Threshold, cancellationToken).ConfigureAwait(false);
        var (client, routerModel) = decision.RoutesToStrong
            ? (StrongClient, decision.Router.Scorer.Model.Manifest.StrongModel)
            : (WeakClient, decision.Router.Scorer.Model.Manifest.WeakModel);
        return (decision, client, client.GetService<ChatClientMetadata>()?.DefaultModelId ?? routerModel);
    }
}
