namespace RouteLLM.MLNet.Extensions;

/// <summary>Where a named router of a <see cref="RouterPool"/> comes from.</summary>
public sealed class RouterSource
{
    /// <summary>The router zip; replacing this file on disk reloads the router.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// Optional UTF-8 text file with one prompt per line, like the traffic to expect. It enables
    /// <see cref="RoutingThreshold.ForStrongShare"/>: each loaded version of the router scores these prompts and the
    /// threshold for a share is RouteLLM's quantile of those scores. Blank lines are not prompts (they are counted in
    /// the log).
    /// </summary>
    public string? CalibrationPrompts { get; set; }
}
