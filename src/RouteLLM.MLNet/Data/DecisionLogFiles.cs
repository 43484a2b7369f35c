using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads a routing server's decision-log folder: <c>decisions-*.jsonl</c> (<see cref="DecisionLogEntry"/>) and
/// <c>feedback-*.jsonl</c> (<see cref="FeedbackEntry"/>), files in name order (which is time order).
/// </summary>
public static class DecisionLogFiles
{
    /// <summary>The decisions of <paramref name="directory"/>; none when it holds no decisions file.</summary>
    /// <exception cref="DataFormatException">A line is not a decision (unless SkipBadRows).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static ReadResult<DecisionLogEntry> ReadDecisions(string directory, DataReadOptions? options = null) =>
        Read(directory, "decisions-*.jsonl", DecisionLogJson.Default.DecisionLogEntry, "decision log entry", options);

    /// <summary>The feedback of <paramref name="directory"/>; none when it holds no feedback file.</summary>
    /// <exception cref="DataFormatException">A line is not feedback (unless SkipBadRows).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static ReadResult<FeedbackEntry> ReadFeedback(string directory, DataReadOptions? options = null) =>
        Read(directory, "feedback-*.jsonl", DecisionLogJson.Default.FeedbackEntry, "feedback entry", options);

    private static ReadResult<T> Read<T>(string directory, string pattern, JsonTypeInfo<T> type, string what, DataReadOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory} does not exist.");
        }

        options ??= new DataReadOptions();
        var items = new List<T>();
        var skipped = new SkippedRows();
        foreach (var file in Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal))
        {
            var bad = new BadRows(file, options.SkipBadRows, skipped);
            foreach (var (line, row) in JsonLines.Read(file, bad))
            {
                T? item;
                try
                {
                    item = row.Deserialize(type);
                }
                catch (JsonException e)
                {
                    bad.Report(line, null, $"not a {what}", e.Message);
                    continue;
                }

                if (item is not null)
                {
                    items.Add(item);
                }
            }
        }

        return new ReadResult<T>(items, skipped);
    }
}
