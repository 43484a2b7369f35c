namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>Where a labeling run stands: calls done (asked now or read from the journal) and what they cost.</summary>
/// <param name="CallsDone">Calls finished, journaled ones included.</param>
/// <param name="CallsTotal">Calls the whole job needs.</param>
/// <param name="InputTokens">Input tokens of the finished calls, from the upstreams' <c>usage</c>.</param>
/// <param name="OutputTokens">Output tokens of the finished calls.</param>
/// <param name="Usd">What the finished calls cost at the models' prices.</param>
public readonly record struct LabelingProgress(int CallsDone, int CallsTotal, long InputTokens, long OutputTokens, decimal Usd);
