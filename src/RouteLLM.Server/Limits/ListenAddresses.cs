using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace RouteLLM.Server.Limits;

/// <summary>The addresses a server is configured to listen on (<c>urls</c> and <c>Kestrel:Endpoints</c>), and whether any is reachable from other hosts.</summary>
internal sealed class ListenAddresses
{
    private ListenAddresses(IReadOnlyList<string> exposed) => Exposed = exposed;

    /// <summary>The configured URLs that are not loopback (nor a Unix socket): reachable from other hosts.</summary>
    public IReadOnlyList<string> Exposed { get; }

    /// <summary>Whether every address is loopback.</summary>
    public bool LoopbackOnly => Exposed.Count == 0;

    public static ListenAddresses From(IConfiguration configuration)
    {
        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>());
        return new ListenAddresses([.. urls.Where(url => !IsLoopback(url))]);
    }

    // Anything not provably loopback counts as exposed: "*", "+", 0.0.0.0, [::], a host name, an unreadable URL.
    private static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        return address.IsUnixPipe
            || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
