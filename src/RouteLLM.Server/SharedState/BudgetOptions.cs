namespace RouteLLM.Server.SharedState;

/// <summary>
/// Spend limits, per client key and for the whole deployment; a request past one gets 429 with <c>Retry-After</c>.
/// Spend is priced from the upstream's reported usage and <see cref="UpstreamOptions"/>' prices. Null: no limit.
/// </summary>
public sealed class BudgetOptions
{
    /// <summary>US dollars all clients together may spend per UTC day.</summary>
    public double? GlobalUsdPerDay { get; set; }

    /// <summary>Tokens (input and output) all clients together may use per minute.</summary>
    public long? GlobalTokensPerMinute { get; set; }

    /// <summary>US dollars one client key may spend per UTC day.</summary>
    public double? ClientUsdPerDay { get; set; }

    /// <summary>Tokens (input and output) one client key may use per minute.</summary>
    public long? ClientTokensPerMinute { get; set; }
}
