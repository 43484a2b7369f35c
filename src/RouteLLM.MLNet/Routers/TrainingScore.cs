namespace RouteLLM.MLNet.Routers;

/// <summary>One model's score on one prompt of a <see cref="TrainingSet"/>, by index.</summary>
/// <param name="Prompt">Index into <see cref="TrainingSet.Prompts"/>.</param>
/// <param name="Model">Index into <see cref="TrainingSet.Models"/>.</param>
/// <param name="Score">Quality in [0, 1]: 1/0 correctness, or a grade scaled to [0, 1].</param>
/// <param name="CostUsd">What the call cost in USD; NaN when the data carries no cost.</param>
public readonly record struct TrainingScore(int Prompt, int Model, float Score, float CostUsd);
