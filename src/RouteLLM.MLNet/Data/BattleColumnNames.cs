namespace RouteLLM.MLNet.Data;

/// <summary>
/// The column names of battle rows, as ML.NET's <c>DefaultColumnNames</c>: what <c>mlContext.Routing().LoadBattles</c>
/// writes and what router trainers and the <c>EmbedText</c> transform read unless told otherwise.
/// </summary>
public static class BattleColumnNames
{
    /// <summary>The prompt text (the first user turn).</summary>
    public const string Prompt = "Prompt";

    /// <summary>The prompt's embedding vector.</summary>
    public const string Embedding = "Embedding";

    /// <summary>Canonical name of model A.</summary>
    public const string ModelA = "ModelA";

    /// <summary>Canonical name of model B.</summary>
    public const string ModelB = "ModelB";

    /// <summary>The outcome: 1 when A won, 0 when B won, 0.5 for a tie.</summary>
    public const string Label = "Label";

    /// <summary>The battle's sample weight.</summary>
    public const string Weight = "Weight";

    /// <summary>Whether the battle is a gold label (benchmark correctness) rather than a preference battle.</summary>
    public const string IsGold = "IsGold";
}
