namespace RouteLLM.MLNet.Evaluation;

/// <summary>How far an evaluation has got, for progress bars.</summary>
/// <param name="Stage">What is being done.</param>
/// <param name="Done">Prompts done in this stage so far.</param>
/// <param name="Total">Prompts this stage will process.</param>
public readonly record struct EvaluationProgress(EvaluationStage Stage, int Done, int Total);
