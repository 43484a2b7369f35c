using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace RouteLLM.Server.Limits;

/// <summary>
/// The server's rate limiter (Microsoft.AspNetCore.RateLimiting): <see cref="ServerLimitsOptions.RequestsPerMinute"/>
/// per client key, or per IP address for requests without a valid key, chained with one concurrency limit of
/// <see cref="ServerLimitsOptions.MaxConcurrentRequests"/> and a queue of <see cref="ServerLimitsOptions.QueueLength"/>.
/// A request refused by either gets OpenAI's 429 with <c>Retry-After</c>. <c>/health</c> is never limited.
/// </summary>
internal static class RequestRateLimits
{
    // A concurrency limiter cannot know when a slot frees up; a second is a short, honest wait.
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    public static void Configure(RateLimiterOptions options, ServerLimitsOptions limits, ClientKeys keys)
    {
        var perClient = PartitionedRateLimiter.Create<HttpContext, string>(context => IsHealth(context)
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetFixedWindowLimiter(Client(context, keys), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.RequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        var concurrency = PartitionedRateLimiter.Create<HttpContext, string>(context => IsHealth(context)
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetConcurrencyLimiter("server", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.MaxConcurrentRequests,
                QueueLimit = limits.QueueLength,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(perClient, concurrency);
        options.OnRejected = (rejection, _) =>
        {
            var tooFast = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
            return new ValueTask(new OpenAIError(
                StatusCodes.Status429TooManyRequests,
                tooFast
                    ? $"Rate limit reached: at most {limits.RequestsPerMinute} requests per minute per client."
                    : $"The server is at its limit of {limits.MaxConcurrentRequests} requests at once, with {limits.QueueLength} waiting.",
                OpenAIError.RateLimitError,
                Code: tooFast ? "rate_limit_exceeded" : "server_busy",
                RetryAfter: tooFast ? retryAfter : BusyRetryAfter).WriteAsync(rejection.HttpContext));
        };
    }

    private static bool IsHealth(HttpContext context) => context.Request.Path.StartsWithSegments("/health");

    // A valid key names its client wherever it comes from; anything else is counted by address, so that made-up keys
    // cannot open a fresh allowance each.
    private static string Client(HttpContext context, ClientKeys keys) =>
        keys.Required && keys.Identify(context.Request) is var key and >= 0
            ? $"key:{key}"
            : $"ip:{context.Connection.RemoteIpAddress}";
}
