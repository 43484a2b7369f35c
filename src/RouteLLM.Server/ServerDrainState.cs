using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RouteLLM.Server;

/// <summary>
/// Where a stopping server stands: <see cref="IsDraining"/> from the stop signal (SIGTERM, Ctrl+C) on, while requests
/// in flight finish; <see cref="DrainEnded"/> once <see cref="RouteLLMServerOptions.DrainTimeout"/> has passed, when
/// streams still running are ended with a final error event before the host cuts their connections.
/// A readiness probe reports "not ready" while <see cref="IsDraining"/>, so that a load balancer stops sending traffic.
/// </summary>
public sealed class ServerDrainState : IDisposable
{
    private readonly CancellationTokenSource _drainEnded = new();
    private readonly CancellationTokenRegistration _stopping;

    /// <summary>Follows <paramref name="lifetime"/>'s stop signal.</summary>
    /// <param name="lifetime">The host's lifetime.</param>
    /// <param name="options">The server's options (for the drain time).</param>
    public ServerDrainState(IHostApplicationLifetime lifetime, IOptions<RouteLLMServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        Stopping = lifetime.ApplicationStopping;
        DrainTimeout = options.Value.DrainTimeout;
        _stopping = Stopping.Register(() => _drainEnded.CancelAfter(DrainTimeout));
    }

    /// <summary>Whether the server has been asked to stop: it finishes what it has and should get no new traffic.</summary>
    public bool IsDraining => Stopping.IsCancellationRequested;

    /// <summary>Cancelled when the server is asked to stop.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Cancelled <see cref="DrainTimeout"/> after the stop signal: work still running is then cut.</summary>
    public CancellationToken DrainEnded => _drainEnded.Token;

    /// <summary>How long requests in flight may run on after the stop signal.</summary>
    public TimeSpan DrainTimeout { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Dispose();
        _drainEnded.Dispose();
    }
}
