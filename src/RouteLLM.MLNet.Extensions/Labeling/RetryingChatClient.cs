using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// Retries a call that failed for a reason that may pass (408, 429, 5xx, a lost connection, a timeout), waiting as
/// long as the upstream's <c>Retry-After</c> asks, or else an exponential backoff: 1 s, 2 s, 4 s... up to 60 s.
/// </summary>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly int _maxRetries;
    private readonly TimeSpan _firstBackoff;
    private int _retries;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client whose calls are retried; disposed with this one.</param>
    /// <param name="maxRetries">How many times a failed call is tried again (0: never).</param>
    /// <param name="firstBackoff">The first wait when the upstream gives no <c>Retry-After</c>; doubled at each retry. Default: 1 s.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetries"/> or <paramref name="firstBackoff"/> is negative.</exception>
    public RetryingChatClient(IChatClient innerClient, int maxRetries, TimeSpan? firstBackoff = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _firstBackoff = firstBackoff ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_firstBackoff, TimeSpan.Zero, nameof(firstBackoff));
        _maxRetries = maxRetries;
    }

    /// <summary>Calls that were tried again, since this client was created.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamCallException e) when (e.IsTransient && attempt < _maxRetries)
            {
                wait = e.RetryAfter is { } asked && asked > TimeSpan.Zero ? asked : Backoff(attempt);
            }
            catch (Exception e) when (attempt < _maxRetries && !cancellationToken.IsCancellationRequested && e is HttpRequestException or TaskCanceledException)
            {
                wait = Backoff(attempt);
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var backoff = _firstBackoff * Math.Pow(2, Math.Min(attempt, 16));
        return backoff < MaxBackoff ? backoff : MaxBackoff;
    }
}
