using System.Globalization;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// Reads catalogue.csv: <c>model</c>, <c>aliases</c> (<c>|</c>-separated, may be empty), <c>input_usd_per_mtok</c>,
/// <c>output_usd_per_mtok</c>, <c>avg_output_chars</c>; other columns are ignored. A catalogue has no bad rows to
/// skip: a deployment's prices must all be right, so the first bad cell is an error.
/// </summary>
internal static class ModelCatalogueCsv
{
    public static ModelCatalogue Read(string path)
    {
        using var csv = CsvReader.Open(path, new BadRows(path, skipBadRows: false, new SkippedRows()));
        var model = csv.RequireColumn("model");
        var aliases = csv.RequireColumn("aliases");
        var input = csv.RequireColumn("input_usd_per_mtok");
        var output = csv.RequireColumn("output_usd_per_mtok");
        var length = csv.RequireColumn("avg_output_chars");
        var entries = new List<(CatalogueModel, long, string)>();
        while (csv.Read())
        {
            entries.Add((new CatalogueModel
            {
                Model = csv[model],
                Aliases = csv[aliases].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                InputUsdPerMTok = Number(csv, input, path),
                OutputUsdPerMTok = Number(csv, output, path),
                AvgOutputChars = Number(csv, length, path),
            }, csv.Line, ""));
        }

        return ModelCatalogue.Create(entries, path, csvNames: true);
    }

    /// <summary>The cell as a number; an empty cell is NaN, which the catalogue's check reports as a missing price.</summary>
    private static double Number(CsvReader csv, int column, string path)
    {
        var text = csv[column].Trim();
        if (text.Length == 0)
        {
            return double.NaN;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DataFormatException(path, csv.Line, csv.Header[column], $"'{text}' is not a number");
    }
}
