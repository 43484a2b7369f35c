using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Extensions;

/// <summary>Where a named router of a <see cref="RouterPool"/> comes from.</summary>
public sealed class RouterSource
{
    /// <summary>The router zip; replacing this file on disk reloads the router.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// Optional prompts file, like the traffic to expect, read by <see cref="PromptFile"/>: plain text with one prompt
    /// per line (blank lines skipped and counted in the log), a <c>.csv</c> with a <c>prompt</c> column (Chatbot Arena's
    /// and RouteLLM's files), or a <c>.jsonl</c> with a <c>prompt</c> field (or MT-Bench's <c>turns</c>). It enables
    /// <see cref="RoutingThreshold.ForStrongShare"/>: each loaded version of the router scores these prompts and the
    /// threshold for a share is RouteLLM's quantile of those scores. A malformed row stops the load, naming the file and line.
    /// </summary>
    public string? CalibrationPrompts { get; set; }
}
