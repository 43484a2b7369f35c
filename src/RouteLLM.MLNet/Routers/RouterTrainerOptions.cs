using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>Options every router trainer shares: the columns it reads and the model pair it scores by default.</summary>
public abstract class RouterTrainerOptions
{
    /// <summary>Text column holding the prompt (the first user turn).</summary>
    public string PromptColumnName { get; set; } = BattleColumnNames.Prompt;

    /// <summary>Vector column holding the prompt's embedding, for routers that read embeddings.</summary>
    public string EmbeddingColumnName { get; set; } = BattleColumnNames.Embedding;

    /// <summary>Text column naming model A.</summary>
    public string ModelAColumnName { get; set; } = BattleColumnNames.ModelA;

    /// <summary>Text column naming model B.</summary>
    public string ModelBColumnName { get; set; } = BattleColumnNames.ModelB;

    /// <summary>Single column with the outcome: 1 when A won, 0 when B won, 0.5 for a tie.</summary>
    public string LabelColumnName { get; set; } = BattleColumnNames.Label;

    /// <summary>
    /// Single column with each battle's sample weight, <c>Weight</c> by default as <c>LoadBattles</c> writes it; null gives
    /// every battle weight 1.
    /// </summary>
    public string? ExampleWeightColumnName { get; set; } = BattleColumnNames.Weight;

    /// <summary>
    /// The embedder that produced <see cref="EmbeddingColumnName"/>; recorded in the router zip so that the router is
    /// never scored with other vectors. Required by routers that read embeddings; a router that reads text keeps the
    /// column's vectors of its training prompts when this is set, so that evaluation can drop benchmark prompts it has seen.
    /// </summary>
    public EmbedderInfo? Embedder { get; set; }

    /// <summary>The strong (expensive) model whose win rate the router reports.</summary>
    public string StrongModel { get; set; } = "gpt-4-1106-preview";

    /// <summary>The weak (cheap) model.</summary>
    public string WeakModel { get; set; } = "mixtral-8x7b-instruct-v0.1";

    /// <summary>Seed for every random choice of the trainer; the same seed and data give the same router.</summary>
    public int Seed { get; set; }
}
