using System.CommandLine;
using RouteLLM.MLNet.Data;

namespace RouteLLM.Cli.Commands;

/// <summary>Options several commands share, so that each is spelled and described once.</summary>
internal static class CliOptions
{
    public static Option<FileInfo> Router() => new("--router")
    {
        Description = "Router zip (any kind: mf, sw, bert, random).",
        Required = true,
    };

    public static Option<FileInfo> Prompts(bool required) => new("--prompts")
    {
        Description = "Prompts file: one prompt per line, or a CSV/JSONL with a 'prompt' column (Arena battles and RouteLLM benchmark CSVs included).",
        Required = required,
    };

    public static Option<bool> SkipBadRows() => new("--skip-bad-rows")
    {
        Description = "Skip malformed rows (counted and reported) instead of stopping at the first one.",
    };

    public static Option<string?> Strong() => new("--strong")
    {
        Description = "Strong model to score (any model the router was trained on); default: the router's.",
    };

    public static Option<string?> Weak() => new("--weak")
    {
        Description = "Weak model to score; default: the router's.",
    };

    public static DataReadOptions ReadOptions(ParseResult result, Option<bool> skipBadRows) =>
        new() { SkipBadRows = result.GetValue(skipBadRows) };

    /// <summary>Reads a prompts file, reporting skipped rows on stderr.</summary>
    public static IReadOnlyList<string> ReadPrompts(FileInfo file, DataReadOptions options)
    {
        var read = PromptFile.Read(file.FullName, options);
        ReportSkipped(file.FullName, read.Skipped);
        return read.Items.Count > 0 ? read.Items : throw new ArgumentException($"{file.FullName}: no prompts.");
    }

    public static void ReportSkipped(string source, IReadOnlyDictionary<string, int> skipped)
    {
        if (skipped.Values.Sum() > 0)
        {
            Console.Error.WriteLine($"{source}: {SkippedRows.Describe(skipped)}");
        }
    }
}
