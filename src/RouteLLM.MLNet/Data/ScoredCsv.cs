using System.Globalization;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// A CSV with a <c>prompt</c> column and one score column per model (<c>True</c>/<c>False</c> as pandas writes them,
/// or a number), the shape of RouteLLM's MMLU and GSM8K files. A model's column is found by its exact name or by
/// any alias of it; other columns are ignored. An empty score cell means "not scored": the row is skipped and counted.
/// </summary>
internal static class ScoredCsv
{
    public static void Read(string file, string strongModel, string weakModel, DataReadOptions options, List<BenchmarkPrompt> prompts, SkippedRows skipped)
    {
        var bad = new BadRows(file, options.SkipBadRows, skipped);
        using var csv = CsvReader.Open(file, bad);
        var prompt = csv.RequireColumn("prompt");
        var strong = ModelColumn(csv, strongModel, options.Aliases, file);
        var weak = ModelColumn(csv, weakModel, options.Aliases, file);
        while (csv.Read())
        {
            if (string.IsNullOrEmpty(csv[prompt]))
            {
                bad.Report(csv.Line, "prompt", "empty prompt", "the prompt is empty");
                continue;
            }

            var strongScore = Score(csv, strong, bad);
            var weakScore = Score(csv, weak, bad);
            if (strongScore is not { } s || weakScore is not { } w)
            {
                continue;
            }

            if (double.IsNaN(s) || double.IsNaN(w))
            {
                bad.Skip("empty score");
                continue;
            }

            prompts.Add(new BenchmarkPrompt(csv[prompt], s, w));
        }
    }

    /// <summary>The score in a cell: 1/0 for True/False, the number itself, NaN for an empty cell, null when malformed.</summary>
    internal static double? Score(CsvReader csv, int column, BadRows bad)
    {
        var text = csv[column].Trim();
        if (text.Length == 0)
        {
            return double.NaN;
        }

        if (bool.TryParse(text, out var correct))
        {
            return correct ? 1 : 0;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score))
        {
            return score;
        }

        bad.Report(csv.Line, csv.Header[column], "bad score", $"'{text}' is neither True/False nor a finite number");
        return null;
    }

    private static int ModelColumn(CsvReader csv, string model, ModelAliases aliases, string file)
    {
        var exact = csv.FindColumn(model);
        if (exact >= 0)
        {
            return exact;
        }

        var matches = Enumerable.Range(0, csv.Header.Count)
            .Where(i => !string.IsNullOrWhiteSpace(csv.Header[i]) && aliases.AreSame(csv.Header[i], model))
            .ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw csv.MissingColumn(model, $"for model '{model}' (under that name or an alias)"),
            _ => throw new DataFormatException(file, 1, model,
                $"columns {string.Join(" and ", matches.Select(i => $"'{csv.Header[i]}'"))} both name model '{model}'"),
        };
    }
}
