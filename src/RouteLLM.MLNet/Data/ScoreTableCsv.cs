namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads the generic scored CSV, <c>prompt</c> plus one score column per model (<c>True</c>/<c>False</c> or a number),
/// into a <see cref="ModelScoreTable"/> without costs (price it with a catalogue). A row with an empty score cell cannot
/// compare every model: it is skipped and counted.
/// </summary>
public static class ScoreTableCsv
{
    /// <summary>Reads the file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="isModelColumn">Which header names are model columns; null for every column but <c>prompt</c>.</param>
    /// <param name="options">Bad-row policy.</param>
    /// <exception cref="DataFormatException">A malformed row (unless skipped), or no model columns.</exception>
    public static ModelScoreTable Read(string path, Func<string, bool>? isModelColumn = null, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DataReadOptions();
        var skipped = new SkippedRows();
        var bad = new BadRows(path, options.SkipBadRows, skipped);
        using var csv = CsvReader.Open(path, bad);
        var prompt = csv.RequireColumn("prompt");
        var columns = Enumerable.Range(0, csv.Header.Count)
            .Where(i => i != prompt && csv.Header[i].Length > 0 && (isModelColumn?.Invoke(csv.Header[i]) ?? true)).ToArray();
        if (columns.Length == 0)
        {
            throw new DataFormatException(path, 1, null, $"no model columns among {string.Join(", ", csv.Header.Select(h => $"'{h}'"))}");
        }

        var prompts = new List<string>();
        var quality = new List<double>();
        var row = new double[columns.Length];
        while (csv.Read())
        {
            if (string.IsNullOrEmpty(csv[prompt]))
            {
                bad.Report(csv.Line, "prompt", "empty prompt", "the prompt is empty");
                continue;
            }

            if (ReadScores(csv, columns, row, bad))
            {
                prompts.Add(csv[prompt]);
                quality.AddRange(row);
            }
        }

        return new ModelScoreTable(Path.GetFileNameWithoutExtension(path), prompts, [.. columns.Select(i => csv.Header[i])], [.. quality], null, skipped);
    }

    private static bool ReadScores(CsvReader csv, int[] columns, double[] row, BadRows bad)
    {
        for (var j = 0; j < columns.Length; j++)
        {
            if (ScoredCsv.Score(csv, columns[j], bad) is not { } score)
            {
                return false;
            }

            if (double.IsNaN(score))
            {
                bad.Skip("empty score");
                return false;
            }

            row[j] = score;
        }

        return true;
    }
}
