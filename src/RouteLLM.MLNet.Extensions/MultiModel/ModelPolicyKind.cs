namespace RouteLLM.MLNet.Extensions;

/// <summary>How a multi-model decision trades predicted quality against cost.</summary>
public enum ModelPolicyKind
{
    /// <summary>The model with the highest predicted quality − λ × estimated cost (USD).</summary>
    WillingnessToPay,

    /// <summary>Willingness to pay with the λ that keeps the calibration prompts' mean cost within a budget per request.</summary>
    Budget,

    /// <summary>The cheapest model whose predicted quality is within a margin of the best predicted.</summary>
    QualityFloor,
}
