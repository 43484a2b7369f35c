using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// An <see cref="IChatClient"/> that sends each request to one of N clients, one per model, by a router's predicted
/// quality of every model, the catalogue's prices and a <see cref="ModelPolicy"/>; when the chosen client throws, the
/// request goes to the next-ranked one (a stream only before its first update).
/// </summary>
/// <remarks>
/// A request may narrow the models it allows with <see cref="ChatOptions.AdditionalProperties"/>[<see cref="AllowedModelsProperty"/>]
/// (a sequence of model names); an unknown name throws <see cref="ArgumentException"/> naming it. Each response's
/// <see cref="ChatResponse.ModelId"/> names the model that answered when its client did not, and its
/// <see cref="ChatResponse.AdditionalProperties"/> (the first update's, for a stream) hold <see cref="ModelProperty"/>,
/// <see cref="PredictedQualityProperty"/>, <see cref="EstimatedCostProperty"/> and <see cref="MostExpensiveCostProperty"/>.
/// The decision is recorded on an activity of <see cref="RouteLLMChatClient.ActivitySourceName"/>. Disposing this client
/// disposes the model clients unless it was created with <c>leaveOpen</c>.
/// </remarks>
public sealed class MultiModelRoutingChatClient : IChatClient
{
    /// <summary>The request option that lists the models this request allows (an <see cref="IEnumerable{T}"/> of names).</summary>
    public const string AllowedModelsProperty = "routellm.models";

    /// <summary>The response property that names the catalogue model that answered.</summary>
    public const string ModelProperty = "routellm.model";

    /// <summary>The response property that holds the router's predicted quality of the model that answered.</summary>
    public const string PredictedQualityProperty = "routellm.predicted_quality";

    /// <summary>The response property that holds the request's estimated cost on the model that answered, in USD.</summary>
    public const string EstimatedCostProperty = "routellm.estimated_cost_usd";

    /// <summary>The response property that holds the request's estimated cost on the most expensive model, in USD.</summary>
    public const string MostExpensiveCostProperty = "routellm.most_expensive_cost_usd";

    private static readonly ActivitySource Source = new(RouteLLMChatClient.ActivitySourceName);

    private readonly IReadOnlyDictionary<string, IChatClient> _clients;
    private readonly RouterPool _routers;
    private readonly bool _leaveOpen;

    /// <summary>Creates a client that routes among <paramref name="clients"/>.</summary>
    /// <param name="clients">One client per model, keyed by the model's name in any spelling the catalogue knows.</param>
    /// <param name="models">Prices and ranks the models; it must route among exactly the models of <paramref name="clients"/>.</param>
    /// <param name="routers">The pool that holds the router.</param>
    /// <param name="routerName">The router's name in <paramref name="routers"/>.</param>
    /// <param name="policy">How predicted quality is traded against cost.</param>
    /// <param name="leaveOpen">Whether the model clients stay open when this client is disposed (their owner disposes them).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// A client is null or keyed by a model <paramref name="models"/> does not route among, a model has no client, or
    /// the pool has no such router.
    /// </exception>
    public MultiModelRoutingChatClient(
        IReadOnlyDictionary<string, IChatClient> clients, MultiModelRouter models, RouterPool routers, string routerName, ModelPolicy policy, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(routers);
        ArgumentNullException.ThrowIfNull(routerName);
        var byModel = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
        foreach (var (spelling, client) in clients)
        {
            if (client is null || !models.TryResolve(spelling, out var model) || !byModel.TryAdd(model, client))
            {
                throw new ArgumentException($"The client for '{spelling}' is null, names a model the router does not route among, or repeats a model.", nameof(clients));
            }
        }

        if (models.Models.FirstOrDefault(m => !byModel.ContainsKey(m)) is { } missing)
        {
            throw new ArgumentException($"Model '{missing}' has no client.", nameof(clients));
        }

        _ = routers.Get(routerName);
        _clients = byModel;
        _leaveOpen = leaveOpen;
        Models = models;
        _routers = routers;
        RouterName = routerName;
        Policy = policy;
    }

    /// <summary>
    /// Creates a client from dependency injection: the <see cref="MultiModelRouter"/> and <see cref="RouterPool"/>
    /// registered there (<c>AddRouteLLMModels</c>, <c>AddRouteLLM</c>), and for each model the <see cref="IChatClient"/>
    /// registered under its catalogue name as key. The container keeps owning those clients.
    /// </summary>
    /// <param name="services">The services to resolve from.</param>
    /// <param name="routerName">The router's name in the pool.</param>
    /// <param name="policy">How predicted quality is traded against cost.</param>
    /// <returns>The client; use it as a <see cref="ChatClientBuilder"/>'s inner client.</returns>
    /// <exception cref="InvalidOperationException">A service or a model's keyed client is not registered.</exception>
    public static MultiModelRoutingChatClient FromKeyedServices(IServiceProvider services, string routerName, ModelPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(services);
        var models = services.GetRequiredService<MultiModelRouter>();
        var clients = models.Models.ToDictionary(m => m, m => services.GetRequiredKeyedService<IChatClient>(m));
        return new MultiModelRoutingChatClient(clients, models, services.GetRequiredService<RouterPool>(), routerName, policy, leaveOpen: true);
    }

    /// <summary>The models routed among, with their prices.</summary>
    public MultiModelRouter Models { get; }

    /// <summary>The router's name in its pool.</summary>
    public string RouterName { get; }

    /// <summary>How predicted quality is traded against cost.</summary>
    public ModelPolicy Policy { get; }

    /// <summary>Which text of the conversation is scored. Default: <see cref="RoutedText.LastUserMessage"/>.</summary>
    public RoutedText RoutedText { get; set; } = RoutedText.LastUserMessage;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ranking = await RankAsync(messages, options, cancellationToken).ConfigureAwait(false);
        using var activity = StartActivity(ranking);
        for (var i = 0; ; i++)
        {
            var candidate = ranking.Candidates[i];
            try
            {
                var response = await _clients[candidate.Model].GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                response.ModelId ??= candidate.Model;
                response.AdditionalProperties ??= [];
                Annotate(response.AdditionalProperties, ranking, candidate, activity);
                return response;
            }
            catch (Exception e) when (CanFailOver(e, i, ranking, cancellationToken))
            {
                activity?.AddEvent(new ActivityEvent("routellm.failover", tags: new() { ["routellm.from"] = candidate.Model, ["exception.type"] = e.GetType().FullName }));
            }
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ranking = await RankAsync(messages, options, cancellationToken).ConfigureAwait(false);
        using var activity = StartActivity(ranking);
        for (var i = 0; ; i++)
        {
            var candidate = ranking.Candidates[i];
            var updates = _clients[candidate.Model].GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                bool any;
                try
                {
                    any = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (CanFailOver(e, i, ranking, cancellationToken))
                {
                    activity?.AddEvent(new ActivityEvent("routellm.failover", tags: new() { ["routellm.from"] = candidate.Model, ["exception.type"] = e.GetType().FullName }));
                    continue;
                }

                if (any)
                {
                    var first = updates.Current;
                    first.ModelId ??= candidate.Model;
                    first.AdditionalProperties ??= [];
                    Annotate(first.AdditionalProperties, ranking, candidate, activity);
                    yield return first;
                    while (await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        updates.Current.ModelId ??= candidate.Model;
                        yield return updates.Current;
                    }
                }

                yield break;
            }
            finally
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Disposes the model clients, unless created with <c>leaveOpen</c>.</summary>
    public void Dispose()
    {
        if (_leaveOpen)
        {
            return;
        }

        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    // A failure moves on to the next model, unless it was the last one or the caller cancelled.
    private static bool CanFailOver(Exception exception, int index, ModelRanking ranking, CancellationToken cancellationToken) =>
        index + 1 < ranking.Candidates.Count && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static void Annotate(AdditionalPropertiesDictionary properties, ModelRanking ranking, ModelCandidate answered, Activity? activity)
    {
        properties[ModelProperty] = answered.Model;
        properties[PredictedQualityProperty] = answered.PredictedQuality;
        properties[EstimatedCostProperty] = answered.EstimatedCostUsd;
        properties[MostExpensiveCostProperty] = ranking.MostExpensiveCostUsd;
        activity?.SetTag("routellm.model", answered.Model);
    }

    private static Activity? StartActivity(ModelRanking ranking)
    {
        var activity = Source.StartActivity("routellm.route");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("routellm.router", ranking.Router.Name);
            activity.SetTag("routellm.router.version", ranking.Router.Version);
            activity.SetTag("routellm.policy", ranking.Policy.ToString());
            activity.SetTag("routellm.route", ranking.Choice.Model);
        }

        return activity;
    }

    private ValueTask<ModelRanking> RankAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var allowed = options?.AdditionalProperties?.TryGetValue(AllowedModelsProperty, out var value) == true
            ? (value as IEnumerable<string>)?.ToList() ?? throw new ArgumentException($"'{AllowedModelsProperty}' must be a sequence of model names.", nameof(options))
            : null;
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        return Models.RankAsync(
            _routers.Get(RouterName), ConversationText.Select(list, RoutedText), ConversationText.Select(list, RoutedText.Conversation), Policy, allowed, cancellationToken);
    }
}
