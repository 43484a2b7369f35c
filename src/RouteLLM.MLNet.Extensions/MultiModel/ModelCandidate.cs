namespace RouteLLM.MLNet.Extensions;

/// <summary>One model a multi-model decision may send a request to, as the router and the catalogue see it for that request.</summary>
/// <param name="Model">The model's catalogue name.</param>
/// <param name="PredictedQuality">The router's predicted quality of the model's answer, in [0, 1].</param>
/// <param name="EstimatedCostUsd">The request's estimated cost on the model: prompt tokens × input price + typical answer tokens × output price.</param>
public readonly record struct ModelCandidate(string Model, float PredictedQuality, double EstimatedCostUsd);
