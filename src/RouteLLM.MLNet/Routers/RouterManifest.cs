using System.Text.Json.Serialization;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// The <c>manifest.json</c> entry of a router zip: what the router is, what it was trained on and how to check
/// the zip's other entries. See docs/ROUTER_ZIP.md.
/// </summary>
public sealed record RouterManifest
{
    /// <summary>The zip layout version this library writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Router kind, e.g. <c>mf</c>, <c>sw</c>, <c>bert</c>, <c>random</c>; selects the loader.</summary>
    public required string Kind { get; init; }

    /// <summary>Zip layout version; a newer version than <see cref="CurrentFormatVersion"/> is refused.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Simple name of the assembly that implements <see cref="Kind"/>, loaded on demand.</summary>
    public required string Assembly { get; init; }

    /// <summary>The embedding the router reads; null for routers that read raw text or nothing.</summary>
    public EmbedderInfo? Embedder { get; init; }

    /// <summary>The embedder of the stored training-prompt embeddings (<see cref="RouterModel.TrainingPrompts"/>), if any.</summary>
    public EmbedderInfo? TrainingPromptsEmbedder { get; init; }

    /// <summary>The strong model whose win rate the router reports by default.</summary>
    public required string StrongModel { get; init; }

    /// <summary>The weak (cheap) model of the default pair.</summary>
    public required string WeakModel { get; init; }

    /// <summary>Every model the router can score; any two of them can be paired without retraining.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>SHA-256 (hex) of the training data as the trainer saw it; empty for untrained routers.</summary>
    public string TrainingDataDigest { get; init; } = "";

    /// <summary>Metrics measured while training (validation loss, epochs chosen, example counts, ...).</summary>
    public IReadOnlyDictionary<string, double> TrainingMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The trainer options used, as name → value text (collections as their items joined by ", "; callbacks such as a
    /// progress reporter left out), so that a zip says how to rebuild it.
    /// </summary>
    public IReadOnlyDictionary<string, string> TrainingOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>SHA-256 (hex) of every other entry of the zip, checked on load.</summary>
    [JsonPropertyName("entries")]
    public IReadOnlyDictionary<string, string> EntryDigests { get; init; } = new Dictionary<string, string>();
}
