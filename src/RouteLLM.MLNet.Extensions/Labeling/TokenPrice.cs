namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>A model's list price: USD per million input (prompt) tokens and per million output (answer) tokens.</summary>
/// <param name="InputUsdPerMillion">USD per million input tokens.</param>
/// <param name="OutputUsdPerMillion">USD per million output tokens.</param>
public readonly record struct TokenPrice(decimal InputUsdPerMillion, decimal OutputUsdPerMillion)
{
    /// <summary>What a call with these token counts costs, in USD.</summary>
    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputUsdPerMillion + outputTokens * OutputUsdPerMillion) / 1_000_000m;
}
