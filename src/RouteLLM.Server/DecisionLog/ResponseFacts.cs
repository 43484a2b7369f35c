using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server.DecisionLog;

/// <summary>What an upstream's JSON answer says about itself (its id and token usage), kept on the request for the decision log.</summary>
internal sealed record ResponseFacts(string? UpstreamId, long? InputTokens, long? OutputTokens)
{
    private static readonly object Key = new();

    /// <summary>Reads the id and <c>usage</c> of a chat completion body and keeps them on <paramref name="context"/>.</summary>
    public static void Capture(HttpContext context, JsonElement completion)
    {
        var id = completion.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        long? input = null, output = null;
        if (completion.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            input = usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var pt) ? pt : null;
            output = usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt64(out var ct) ? ct : null;
        }

        context.Items[Key] = new ResponseFacts(id, input, output);
    }

    /// <summary>The facts captured for <paramref name="context"/>, if any.</summary>
    public static ResponseFacts? Of(HttpContext context) => context.Items.TryGetValue(Key, out var facts) ? facts as ResponseFacts : null;
}
