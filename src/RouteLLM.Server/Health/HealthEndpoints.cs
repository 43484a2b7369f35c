using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server.Health;

/// <summary>
/// <c>GET /health/live</c> (the process answers: 200 while it runs) and <c>GET /health/ready</c> (200 when it should
/// get traffic, else 503 with the reasons). Neither needs a client key; probes carry none.
/// </summary>
internal sealed class HealthEndpoints(ServerReadiness readiness)
{
    public static Task LiveAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new ProbeReport("live", []), HealthJsonContext.Default.ProbeReport, contentType: null, context.RequestAborted);

    public Task ReadyAsync(HttpContext context)
    {
        var reasons = readiness.NotReadyReasons();
        context.Response.StatusCode = reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        var report = new ProbeReport(reasons.Count == 0 ? "ready" : "not_ready", reasons);
        return context.Response.WriteAsJsonAsync(report, HealthJsonContext.Default.ProbeReport, contentType: null, context.RequestAborted);
    }
}
