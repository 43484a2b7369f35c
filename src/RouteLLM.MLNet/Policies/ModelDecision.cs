namespace RouteLLM.MLNet.Policies;

/// <summary>A routing decision among N models for one prompt.</summary>
/// <param name="Model">The chosen model.</param>
/// <param name="PredictedQuality">Its predicted quality.</param>
/// <param name="EstimatedCostUsd">Its estimated cost for this request.</param>
/// <param name="MostExpensiveCostUsd">What the request would cost on the most expensive allowed model.</param>
/// <param name="Ranking">Every allowed model, the chosen one first, in the order to fail over in.</param>
public sealed record ModelDecision(
    string Model, float PredictedQuality, double EstimatedCostUsd, double MostExpensiveCostUsd, IReadOnlyList<string> Ranking);
