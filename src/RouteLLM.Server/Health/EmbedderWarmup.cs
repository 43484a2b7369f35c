using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server.Health;

/// <summary>
/// Routes one text with every router after start, so that ONNX Runtime's first (slow) run happens before the replica
/// reports ready rather than on a client's request.
/// </summary>
internal sealed partial class EmbedderWarmup(RouterPool routers, ServerReadiness readiness, ILogger<EmbedderWarmup> logger) : BackgroundService
{
    private const string WarmupText = "Warm-up: which model should answer this prompt?";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var name in routers.Names)
            {
                await routers.Get(name).RouteAsync(WarmupText, RoutingThreshold.Fixed(0.5), stoppingToken).ConfigureAwait(false);
            }

            readiness.MarkWarm();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before it finished: the replica never becomes ready, which is what it should report.
        }
        catch (Exception e)
        {
            LogWarmupFailed(logger, e);
        }
    }

    [LoggerMessage(40, LogLevel.Error, "Warming up the routers failed; the server stays not ready.")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
