namespace RouteLLM.MLNet.Data;

/// <summary>
/// One prompt with the score each of several models achieved on it (1/0 correctness, or a quality in [0, 1]) and, where
/// the data has them, what each call really cost: a row of RouterBench or of a generic scored CSV, as trainers read it.
/// </summary>
/// <param name="Prompt">The text routed.</param>
/// <param name="Scores">Canonical model name → score in [0, 1]; models not scored on this prompt are absent.</param>
/// <param name="CostsUsd">Canonical model name → USD the call cost; empty when the data carries no costs.</param>
public sealed record ScoredPrompt(string Prompt, IReadOnlyDictionary<string, double> Scores, IReadOnlyDictionary<string, double> CostsUsd);
