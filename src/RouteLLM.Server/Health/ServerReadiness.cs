using RouteLLM.Server.SharedState;

namespace RouteLLM.Server.Health;

/// <summary>
/// Whether this replica should be sent traffic: its routers are loaded (the pool loads them before the server
/// listens), its embedders have scored once (<see cref="EmbedderWarmup"/>), Redis answers when it is configured, and
/// the server is not draining (<see cref="ServerDrainState.IsDraining"/>, the one drain state the forwarder and limits
/// read too). A load balancer reads it through <c>GET /health/ready</c>.
/// </summary>
internal sealed class ServerReadiness(ServerDrainState drain, SharedRedis redis)
{
    private volatile bool _warm;

    /// <summary>Whether every router has routed one text, so the first request pays no model load.</summary>
    public bool Warm => _warm;

    /// <summary>Whether the server is draining (SIGTERM): requests in flight finish, new ones go elsewhere.</summary>
    public bool Draining => drain.IsDraining;

    /// <summary>Called once the warm-up has routed a text with every router.</summary>
    public void MarkWarm() => _warm = true;

    /// <summary>The reasons this replica is not ready; empty when it is.</summary>
    public IReadOnlyList<string> NotReadyReasons()
    {
        var reasons = new List<string>();
        if (Draining)
        {
            reasons.Add("draining: the server is shutting down");
        }

        if (!Warm)
        {
            reasons.Add("warming up: the routers' embedders have not run yet");
        }

        if (redis.IsConfigured && !redis.IsAvailable)
        {
            reasons.Add("redis unreachable: routing from this replica's memory only");
        }

        return reasons;
    }
}
