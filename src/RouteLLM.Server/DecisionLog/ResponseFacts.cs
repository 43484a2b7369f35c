using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// What an upstream's JSON answer says about itself (its id), kept on the request for the decision log; its tokens
/// and cost are <see cref="SharedState.TokenUsage"/>'s.
/// </summary>
internal sealed record ResponseFacts(string? UpstreamId)
{
    private static readonly object Key = new();

    /// <summary>Reads the id of a chat completion body and keeps it on <paramref name="context"/>.</summary>
    public static void Capture(HttpContext context, JsonElement completion)
    {
        var id = completion.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        context.Items[Key] = new ResponseFacts(id);
    }

    /// <summary>The facts captured for <paramref name="context"/>, if any.</summary>
    public static ResponseFacts? Of(HttpContext context) => context.Items.TryGetValue(Key, out var facts) ? facts as ResponseFacts : null;
}
