namespace RouteLLM.MLNet.Evaluation;

/// <summary>The slow stages of an evaluation.</summary>
public enum EvaluationStage
{
    /// <summary>Embedding the benchmark prompts (once, for both the training-overlap check and scoring).</summary>
    Embedding,

    /// <summary>Scoring the kept prompts with the router.</summary>
    Scoring,
}
