using System.Globalization;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads pairwise battles in Chatbot Arena's CSV schema (<c>lmsys-arena-human-preference-55k</c>): <c>model_a</c>,
/// <c>model_b</c>, <c>prompt</c> (a JSON list of user turns; the first, stripped, is routed on) and the 0/1 flags
/// <c>winner_model_a</c>, <c>winner_model_b</c>, <c>winner_tie</c>, exactly one of which is 1. Other columns
/// (<c>id</c>, the responses, a judge) are ignored and may be absent. Model names are made canonical.
/// </summary>
public static class ArenaBattles
{
    private static readonly string[] WinnerColumns = ["winner_model_a", "winner_model_b", "winner_tie"];
    private static readonly BattleOutcome[] WinnerOutcomes = [BattleOutcome.ModelAWins, BattleOutcome.ModelBWins, BattleOutcome.Tie];

    /// <summary>Reads a battles CSV, or every <c>*.csv</c> of a folder (such as <c>data/preferences</c>) in name order.</summary>
    /// <param name="path">A CSV file or a folder of them.</param>
    /// <param name="options">Error policy and model aliases; null for the defaults.</param>
    /// <returns>The battles in file order, with weight 1, and the rows skipped.</returns>
    /// <exception cref="DataFormatException">A row is malformed (unless SkipBadRows) or a column is missing.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist, or the folder holds no CSV file.</exception>
    public static ReadResult<Battle> Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DataReadOptions();
        var battles = new List<Battle>();
        var skipped = new SkippedRows();
        foreach (var file in DataLayout.FilesIn(path, "*.csv"))
        {
            ReadFile(file, options, battles, skipped);
        }

        return new ReadResult<Battle>(battles, skipped);
    }

    private static void ReadFile(string file, DataReadOptions options, List<Battle> battles, SkippedRows skipped)
    {
        var bad = new BadRows(file, options.SkipBadRows, skipped);
        using var csv = CsvReader.Open(file, bad);
        var prompt = csv.RequireColumn("prompt");
        var modelA = csv.RequireColumn("model_a");
        var modelB = csv.RequireColumn("model_b");
        var winners = WinnerColumns.Select(csv.RequireColumn).ToArray();
        while (csv.Read())
        {
            var firstTurn = ConversationTurns.FirstTurn(csv[prompt], out var problem);
            if (firstTurn is null)
            {
                bad.Report(csv.Line, "prompt", "bad prompt", problem);
            }
            else if (Model(csv, modelA, "model_a", bad, options.Aliases) is { } a
                && Model(csv, modelB, "model_b", bad, options.Aliases) is { } b
                && Outcome(csv, winners, bad) is { } outcome)
            {
                battles.Add(new Battle(firstTurn, a, b, outcome));
            }
        }
    }

    private static string? Model(CsvReader csv, int column, string name, BadRows bad, ModelAliases aliases)
    {
        if (!string.IsNullOrWhiteSpace(csv[column]))
        {
            return aliases.Canonical(csv[column]);
        }

        bad.Report(csv.Line, name, "empty model name", "the model name is empty");
        return null;
    }

    private static BattleOutcome? Outcome(CsvReader csv, int[] winners, BadRows bad)
    {
        var ones = 0;
        var winner = 0;
        for (var i = 0; i < winners.Length; i++)
        {
            var text = csv[winners[i]];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var flag) || flag is not (0 or 1))
            {
                bad.Report(csv.Line, WinnerColumns[i], "bad winner flags", $"'{text}' is not 0 or 1");
                return null;
            }

            if (flag == 1)
            {
                ones++;
                winner = i;
            }
        }

        if (ones == 1)
        {
            return WinnerOutcomes[winner];
        }

        bad.Report(csv.Line, string.Join("/", WinnerColumns), "bad winner flags",
            $"{string.Join(", ", winners.Select(w => csv[w]))}: exactly one must be 1");
        return null;
    }
}
