using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace RouteLLM.Server;

/// <summary>Checks a client's <c>Authorization: Bearer KEY</c> against the configured keys, in constant time.</summary>
internal sealed class ClientKeys
{
    private static readonly OpenAIError Missing = new(
        StatusCodes.Status401Unauthorized, "You didn't provide an API key. Send it as 'Authorization: Bearer KEY'.", Code: "missing_api_key");

    private static readonly OpenAIError Wrong = new(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", Code: "invalid_api_key");

    // Comparing digests makes every comparison take the same time whatever the lengths.
    private readonly byte[][] _digests;

    public ClientKeys(IOptions<RouteLLMServerOptions> options) =>
        _digests = [.. options.Value.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];

    /// <summary>Null when the request may go on; otherwise the 401 to answer.</summary>
    public OpenAIError? Check(HttpRequest request)
    {
        if (_digests.Length == 0)
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Missing;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(header.AsSpan(7).Trim().ToString()));
        var match = false;
        foreach (var expected in _digests)
        {
            match |= CryptographicOperations.FixedTimeEquals(digest, expected);
        }

        return match ? null : Wrong;
    }
}
