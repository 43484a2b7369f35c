using System.Text.Json;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads the prompts of a prompts file (for threshold calibration and routing benchmarks), by extension:
/// <list type="bullet">
/// <item><c>.csv</c>: the <c>prompt</c> column, so Chatbot Arena battle CSVs and RouteLLM's benchmark CSVs both work;
/// a cell holding a JSON list of turns (Arena's format) gives its first turn, stripped.</item>
/// <item><c>.jsonl</c>: each object's <c>prompt</c> (a string, or a list of turns: the first, stripped), or else its
/// <c>turns</c> (MT-Bench's <c>question.jsonl</c>: the first turn).</item>
/// <item>anything else: plain text, one prompt per line; blank lines are skipped and counted.</item>
/// </list>
/// </summary>
public static class PromptFile
{
    /// <summary>Reads every prompt of <paramref name="path"/>, in file order, duplicates kept.</summary>
    /// <param name="path">The prompts file.</param>
    /// <param name="options">Error policy; null for the default (a malformed row throws).</param>
    /// <exception cref="DataFormatException">A row is malformed (unless SkipBadRows) or the <c>prompt</c> column is missing.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ReadResult<string> Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DataReadOptions();
        var skipped = new SkippedRows();
        var bad = new BadRows(path, options.SkipBadRows, skipped);
        var prompts = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path, bad),
            ".jsonl" => ReadJsonLines(path, bad),
            _ => ReadText(path, bad),
        };
        return new ReadResult<string>(prompts, skipped);
    }

    private static List<string> ReadCsv(string path, BadRows bad)
    {
        var prompts = new List<string>();
        using var csv = CsvReader.Open(path, bad);
        var column = csv.RequireColumn("prompt");
        while (csv.Read())
        {
            var text = csv[column];
            var prompt = text.TrimStart().StartsWith('[') ? ConversationTurns.FirstTurn(text, out _) ?? text : text;
            Add(prompts, prompt, csv.Line, bad);
        }

        return prompts;
    }

    private static List<string> ReadJsonLines(string path, BadRows bad)
    {
        var prompts = new List<string>();
        foreach (var (line, row) in JsonLines.Read(path, bad))
        {
            if (row.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String)
            {
                Add(prompts, prompt.GetString()!, line, bad);
            }
            else if (row.TryGetProperty("prompt", out prompt) && prompt.ValueKind == JsonValueKind.Array)
            {
                if (ConversationTurns.FirstTurn(prompt.GetRawText(), out var problem) is { } turn)
                {
                    prompts.Add(turn);
                }
                else
                {
                    bad.Report(line, "prompt", "bad prompt", problem);
                }
            }
            else if (!row.TryGetProperty("prompt", out _) && row.TryGetProperty("turns", out var turns)
                && turns.ValueKind == JsonValueKind.Array && turns.GetArrayLength() > 0 && turns[0].ValueKind == JsonValueKind.String)
            {
                Add(prompts, turns[0].GetString()!, line, bad);
            }
            else
            {
                bad.Report(line, "prompt", "bad prompt", "no string or list-of-turns 'prompt' field (nor MT-Bench 'turns')");
            }
        }

        return prompts;
    }

    private static List<string> ReadText(string path, BadRows bad)
    {
        var prompts = new List<string>();
        foreach (var line in File.ReadLines(DataLayout.RequireFile(path)))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                bad.Skip("blank line");
            }
            else
            {
                prompts.Add(line);
            }
        }

        return prompts;
    }

    private static void Add(List<string> prompts, string prompt, long line, BadRows bad)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            bad.Report(line, "prompt", "empty prompt", "the prompt is empty");
        }
        else
        {
            prompts.Add(prompt);
        }
    }
}
