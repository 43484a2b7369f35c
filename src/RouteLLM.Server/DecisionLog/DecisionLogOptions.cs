namespace RouteLLM.Server.DecisionLog;

/// <summary>The decision log's options: configuration section <c>RouteLLM:DecisionLog</c>. Off unless <see cref="Directory"/> is set.</summary>
public sealed class DecisionLogOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RouteLLM:DecisionLog";

    /// <summary>The folder of <c>decisions-*.jsonl</c> and <c>feedback-*.jsonl</c>; no log (and no feedback endpoint answer but 404) when empty.</summary>
    public string? Directory { get; set; }

    /// <summary>Whether the routed text itself is logged; otherwise only its SHA-256. Default: false.</summary>
    public bool IncludePrompt { get; set; }

    /// <summary>Size past which a new decisions file is started (a new day starts one too). Default: 64 MiB.</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Entries waiting to be written; when full, new entries are dropped and counted, never waited for. Default: 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>How many of the latest response ids feedback may name (read back from the files at start). Default: 1,000,000.</summary>
    public int RememberedResponses { get; set; } = 1_000_000;
}
