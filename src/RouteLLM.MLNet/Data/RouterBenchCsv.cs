using System.Globalization;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads RouterBench's <c>*_train.csv</c>: <c>prompt</c> (a Python list literal of the conversation's user turns: one
/// string, except 8 ARC-Challenge rows that hold two; the first is routed on, as for Arena battles) and, per model,
/// <c>&lt;model&gt;</c> (its quality, 0/1), <c>&lt;model&gt;|model_response</c> and <c>&lt;model&gt;|total_cost</c> (what the
/// call cost in USD). A model is a column with a <c>|total_cost</c> partner. <c>oracle_model_to_route_to</c> is
/// RouterBench's own label and leaks the answer: it is ignored, as are the responses. A row with an empty quality or
/// cost cell cannot compare every model: it is skipped and counted.
/// </summary>
public static class RouterBenchCsv
{
    private const string CostSuffix = "|total_cost";

    /// <summary>Reads one file into a table of quality and real cost.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Bad-row policy; aliases are not applied (the file's names are kept).</param>
    /// <exception cref="DataFormatException">A malformed row (unless skipped), or no model columns.</exception>
    public static ModelScoreTable Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DataReadOptions();
        var skipped = new SkippedRows();
        var bad = new BadRows(path, options.SkipBadRows, skipped);
        using var csv = CsvReader.Open(path, bad);
        var prompt = csv.RequireColumn("prompt");
        var models = csv.Header.Where(h => h.Length > 0 && !h.Contains('|', StringComparison.Ordinal) && csv.FindColumn(h + CostSuffix) >= 0).ToArray();
        if (models.Length == 0)
        {
            throw new DataFormatException(path, 1, null, "no model columns: RouterBench names each model's cost column '<model>|total_cost'");
        }

        var qualityColumns = models.Select(csv.RequireColumn).ToArray();
        var costColumns = models.Select(m => csv.RequireColumn(m + CostSuffix)).ToArray();
        var prompts = new List<string>();
        var quality = new List<double>();
        var cost = new List<double>();
        var row = new double[models.Length * 2];
        while (csv.Read())
        {
            if (ReadRow(csv, prompt, qualityColumns, costColumns, row, bad) is not { } text)
            {
                continue;
            }

            prompts.Add(text);
            quality.AddRange(row.AsSpan(0, models.Length));
            cost.AddRange(row.AsSpan(models.Length));
        }

        return new ModelScoreTable(Path.GetFileNameWithoutExtension(path), prompts, models, [.. quality], [.. cost], skipped);
    }

    private static string? ReadRow(CsvReader csv, int prompt, int[] qualityColumns, int[] costColumns, double[] row, BadRows bad)
    {
        var items = PythonListLiteral.Parse(csv[prompt]);
        if (items is not [var text, ..] || text.Length == 0)
        {
            bad.Report(csv.Line, "prompt", "bad prompt", "expected a Python list literal of non-empty strings");
            return null;
        }

        var models = qualityColumns.Length;
        for (var m = 0; m < models; m++)
        {
            if (ScoredCsv.Score(csv, qualityColumns[m], bad) is not { } q || ScoredCsv.Score(csv, costColumns[m], bad) is not { } c)
            {
                return null;
            }

            if (double.IsNaN(q) || double.IsNaN(c))
            {
                bad.Skip("empty quality or cost cell");
                return null;
            }

            if (c < 0)
            {
                bad.Report(csv.Line, csv.Header[costColumns[m]], "bad cost", $"{c.ToString(CultureInfo.InvariantCulture)} is negative");
                return null;
            }

            (row[m], row[models + m]) = (q, c);
        }

        return text;
    }
}
