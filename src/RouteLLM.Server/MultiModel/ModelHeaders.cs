namespace RouteLLM.Server;

/// <summary>
/// Response headers of policy model names, beside <see cref="RouteLLMServer.ModelHeader"/> (the model that answered)
/// and <see cref="RouteLLMServer.RouteHeader"/> (the model chosen, which differs after a failover).
/// </summary>
public static class ModelHeaders
{
    /// <summary>The policy, e.g. <c>wtp-50</c>, <c>budget-0.002</c>, <c>floor-0.05</c>.</summary>
    public const string Policy = "x-routellm-policy";

    /// <summary>The router's predicted quality of the model that answered, in [0, 1].</summary>
    public const string PredictedQuality = "x-routellm-predicted-quality";

    /// <summary>The request's estimated cost on the model that answered, in USD.</summary>
    public const string EstimatedCost = "x-routellm-estimated-cost-usd";

    /// <summary>The request's estimated cost on the most expensive model served, in USD.</summary>
    public const string MostExpensiveCost = "x-routellm-most-expensive-cost-usd";

    /// <summary>Request header: the models this request allows, comma-separated (catalogue names, aliases or upstream models).</summary>
    public const string AllowedModels = "x-routellm-models";
}
