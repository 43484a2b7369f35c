using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace RouteLLM.Server.Limits;

/// <summary>
/// Counts requests with a missing or wrong client key per IP address; an address that reaches
/// <see cref="ServerLimitsOptions.FailedAuthenticationsPerMinute"/> is refused with 429 until its minute is over,
/// so that keys cannot be guessed at the server's speed.
/// </summary>
internal sealed class FailedAuthenticationThrottle : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures;

    public FailedAuthenticationThrottle(IOptions<ServerLimitsOptions> options)
    {
        var permits = options.Value.FailedAuthenticationsPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true }));
    }

    /// <summary>The 429 to answer when <paramref name="context"/>'s address has used up its failures; otherwise null.</summary>
    public OpenAIError? Check(HttpContext context) =>
        _failures.GetStatistics(Address(context))?.CurrentAvailablePermits > 0
            ? null
            : new OpenAIError(
                StatusCodes.Status429TooManyRequests,
                "Too many requests with a missing or wrong API key from your address; wait before trying again.",
                OpenAIError.RateLimitError,
                Code: "too_many_failed_authentications",
                RetryAfter: Window);

    /// <summary>Counts one failed authentication for <paramref name="context"/>'s address.</summary>
    public void Failed(HttpContext context)
    {
        using var lease = _failures.AttemptAcquire(Address(context));
    }

    public void Dispose() => _failures.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "";
}
