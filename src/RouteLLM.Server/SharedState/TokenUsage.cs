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
/// <param name="NanoUsd">The price of those tokens at the catalogue's prices, in 10⁻⁹ USD; 0 when the server has no catalogue.</param>
internal sealed record TokenUsage(string Model, long InputTokens, long OutputTokens, long NanoUsd)
{
    /// <summary>Response header: what the answer cost, in USD, from the upstream's usage and the catalogue's prices.</summary>
    public const string CostHeader = "x-routellm-cost-usd";

    /// <summary>Total tokens.</summary>
    public long Tokens => InputTokens + OutputTokens;

    /// <summary>The cost in USD.</summary>
    public decimal Usd => NanoUsd / 1_000_000_000m;

    /// <summary>
    /// Reads the <c>usage</c> of <paramref name="response"/> (a JSON answer, or the stream chunk that carries it), keeps it
    /// on <paramref name="context"/> for the ledger and the decision log, and sets <see cref="CostHeader"/> when the model
    /// has a price and the headers are not sent yet; does nothing when there is no usage.
    /// </summary>
    public static void Capture(HttpContext context, JsonElement response, Upstream upstream)
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
        var nanoUsd = upstream.Price is { } price ? (long)Math.Round(((input * price.InputUsdPerMTok) + (output * price.OutputUsdPerMTok)) * 1000) : 0;
        var captured = new TokenUsage(upstream.Model, input, output, nanoUsd);
        context.Features.Set(captured);
        if (upstream.Price is not null && !context.Response.HasStarted)
        {
            context.Response.Headers[CostHeader] = captured.Usd.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static bool TryReadCount(JsonElement usage, string name, out long count)
    {
        count = 0;
        return usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count) && count >= 0;
    }
}
