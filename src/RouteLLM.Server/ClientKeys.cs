using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RouteLLM.Server.Limits;

namespace RouteLLM.Server;

/// <summary>
/// Checks a client's <c>Authorization: Bearer KEY</c> against the configured keys, in constant time; an address that
/// fails too often is throttled (<see cref="FailedAuthenticationThrottle"/>).
/// </summary>
internal sealed class ClientKeys
{
    private const int NoKey = -1;
    private const int WrongKey = -2;

    private static readonly OpenAIError Missing = new(
        StatusCodes.Status401Unauthorized, "You didn't provide an API key. Send it as 'Authorization: Bearer KEY'.", Code: "missing_api_key");

    private static readonly OpenAIError Wrong = new(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", Code: "invalid_api_key");

    // Comparing digests makes every comparison take the same time whatever the lengths.
    private readonly byte[][] _digests;
    private readonly FailedAuthenticationThrottle _throttle;

    public ClientKeys(IOptions<RouteLLMServerOptions> options, FailedAuthenticationThrottle throttle)
    {
        _digests = [.. options.Value.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
        _throttle = throttle;
    }

    /// <summary>Whether clients must send a key.</summary>
    public bool Required => _digests.Length > 0;

    /// <summary>Null when the request may go on; otherwise the 401 (or, after too many failures, the 429) to answer.</summary>
    public OpenAIError? Check(HttpRequest request)
    {
        if (!Required)
        {
            return null;
        }

        if (_throttle.Check(request.HttpContext) is { } throttled)
        {
            return throttled;
        }

        var key = Identify(request);
        if (key >= 0)
        {
            return null;
        }

        _throttle.Failed(request.HttpContext);
        return key == NoKey ? Missing : Wrong;
    }

    /// <summary>The index of the configured key <paramref name="request"/> sends; negative when it sends none or a wrong one.</summary>
    public int Identify(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return NoKey;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(7).Trim().ToString()));
        var match = WrongKey;
        for (var i = 0; i < _digests.Length; i++)
        {
            // Every key is compared, so that the time taken does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(digest, _digests[i]))
            {
                match = i;
            }
        }

        return match;
    }
}
