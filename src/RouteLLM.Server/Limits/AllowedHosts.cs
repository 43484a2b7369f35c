using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server.Limits;

/// <summary>
/// Answers only requests whose <c>Host</c> is allowed (<see cref="ServerLimitsOptions.AllowedHosts"/>): a page served
/// from <c>attacker.example</c> that rebinds that name to 127.0.0.1 still sends <c>Host: attacker.example</c>.
/// </summary>
internal sealed class AllowedHosts
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    private readonly string[] _hosts;

    public AllowedHosts(ServerLimitsOptions options, ListenAddresses addresses) =>
        _hosts = options.AllowedHosts.Count > 0 ? [.. options.AllowedHosts] : addresses.LoopbackOnly ? LoopbackNames : ["*"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host.Host;
        if (context.Request.Path.StartsWithSegments("/health") || _hosts.Any(allowed => Matches(allowed, host)))
        {
            await next(context);
            return;
        }

        await OpenAIError.BadRequest(
            $"This server does not answer for host '{OpenAIError.Quote(host)}'; add it to {ServerLimitsOptions.SectionName}:{nameof(ServerLimitsOptions.AllowedHosts)} to allow it.",
            code: "host_not_allowed").WriteAsync(context);
    }

    private static bool Matches(string allowed, string host) =>
        allowed == "*"
        || string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)
        || allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase);
}
