using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server.SharedState;

/// <summary>
/// The tokens an upstream reported for one answer (its <c>usage</c> object) and their price in nano-dollars, kept as
/// a request feature between the relay and the spend ledger. Integer nano-dollars make the ledger's sum exactly the
/// sum of the costs clients were told.
/// </summary>
/// <param name="Model">The model that answered.</param>
/// <param name="InputTokens"><c>usage.prompt_tokens</c>.</param>
/// <param name="OutputTokens"><c>usage.completion_tokens</c>.</param>
/// <param name="NanoUsd">The price of those tokens at the upstream's configured prices, in 10⁻⁹ USD.</param>
internal sealed record TokenUsage(string Model, long InputTokens, long OutputTokens, long NanoUsd)
{
    /// <summary>Response header: what the answer cost, in USD, from the upstream's usage and configured prices.</summary>
    public const string CostHeader = "x-routellm-cost-usd";

    /// <summary>Total tokens.</summary>
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>The cost in USD.</summary>
    public decimal Usd => NanoUsd / 1_000_000_000m;

    /// <summary>
    /// Reads <paramref name="response"/>'s <c>usage</c>, keeps it on <paramref name="context"/> for the ledger and sets
    /// <see cref="CostHeader"/>; does nothing when the upstream reported no usage.
    /// </summary>
    public static void Capture(HttpContext context, JsonElement response, UpstreamOptions upstream)
    {
        if (response.ValueKind != JsonValueKind.Object
            || !response.TryGetProperty("usage", out var usage)
            || usage.ValueKind != JsonValueKind.Object
            || !TryReadCount(usage, "prompt_tokens", out var input)
            || !TryReadCount(usage, "completion_tokens", out var output))
        {
            return;
        }

        // Prices are per million tokens, so one token costs price × 1000 nano-dollars.
        var nanoUsd = (long)Math.Round(((input * upstream.InputUsdPerMillionTokens) + (output * upstream.OutputUsdPerMillionTokens)) * 1000);
        var captured = new TokenUsage(upstream.Model, input, output, nanoUsd);
        context.Features.Set(captured);
        context.Response.Headers[CostHeader] = captured.Usd.ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryReadCount(JsonElement usage, string name, out long count)
    {
        count = 0;
        return usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count) && count >= 0;
    }
}
