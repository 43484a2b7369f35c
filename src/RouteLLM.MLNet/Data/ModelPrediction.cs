namespace RouteLLM.MLNet.Data;

/// <summary>One model in a multi-model decision-log entry's ranking (<see cref="DecisionLogEntry.Predictions"/>).</summary>
/// <param name="Model">The model's catalogue name.</param>
/// <param name="Quality">The router's predicted quality of its answer, in [0, 1].</param>
/// <param name="CostUsd">The request's estimated cost on it, at the catalogue's prices.</param>
public sealed record ModelPrediction(string Model, float Quality, double CostUsd);
