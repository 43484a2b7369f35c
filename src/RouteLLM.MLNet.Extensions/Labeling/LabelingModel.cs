using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>A model taking part in labeling (a contestant or the judge): its name, its client and its price.</summary>
/// <param name="Name">The model's name, written into the battles' <c>model_a</c>/<c>model_b</c> columns.</param>
/// <param name="Client">The client that asks it; the labeler does not dispose it.</param>
/// <param name="Price">Its list price, for the running totals and the <c>--max-usd</c> reservations.</param>
public sealed record LabelingModel(string Name, IChatClient Client, TokenPrice Price);
