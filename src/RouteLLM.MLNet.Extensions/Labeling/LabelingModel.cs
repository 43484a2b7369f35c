using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Catalogue;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>A model taking part in labeling (a contestant or the judge): its name, its client and its catalogue entry.</summary>
/// <param name="Name">The model's name, written into the battles' <c>model_a</c>/<c>model_b</c> columns.</param>
/// <param name="Client">The client that asks it; the labeler does not dispose it.</param>
/// <param name="Price">
/// Its catalogue entry: the prices of the running totals and the <c>--max-usd</c> reservations, and the typical answer
/// length of the <c>--dry-run</c> estimate.
/// </param>
public sealed record LabelingModel(string Name, IChatClient Client, CatalogueModel Price)
{
    /// <summary>What a call with these token counts costs, in USD (<see cref="RequestCost"/>).</summary>
    /// <param name="inputTokens">The call's input tokens.</param>
    /// <param name="outputTokens">The call's output tokens.</param>
    public decimal Cost(long inputTokens, long outputTokens) =>
        (decimal)RequestCost.Usd(Price, checked((int)inputTokens), outputTokens);

    /// <summary>The model's typical answer, in tokens (<see cref="CatalogueModel.AvgOutputChars"/> ÷ <see cref="RequestCost.CharsPerToken"/>).</summary>
    public long ExpectedAnswerTokens => (long)Math.Ceiling(Price.AvgOutputChars / RequestCost.CharsPerToken);
}
