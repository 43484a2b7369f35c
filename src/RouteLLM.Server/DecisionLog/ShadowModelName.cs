namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// Shadow mode's model names: <c>shadow-NAME-THRESHOLD-ROLE</c> or <c>shadow-NAME@SHARE-ROLE</c> (ROLE: <c>strong</c>
/// or <c>weak</c>), e.g. <c>shadow-mf-0.5-weak</c>. The request is routed as <c>router-NAME-THRESHOLD</c> would route it,
/// and the decision logged, but it is always sent to the ROLE model.
/// </summary>
internal static class ShadowModelName
{
    private const string Prefix = "shadow-";

    /// <summary>Whether <paramref name="model"/> is a shadow name; if so, the routing name it shadows and the fixed role.</summary>
    public static bool TryParse(string model, out string routingModel, out bool sendsToStrong)
    {
        routingModel = model;
        sendsToStrong = false;
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var role = model[(model.LastIndexOf('-') + 1)..];
        if (role is not ("strong" or "weak") || model.Length <= Prefix.Length + role.Length + 1)
        {
            return false;
        }

        routingModel = "router-" + model[Prefix.Length..^(role.Length + 1)];
        sendsToStrong = role == "strong";
        return true;
    }
}
