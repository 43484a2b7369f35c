using System.Globalization;
using System.Text;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads per-prompt scores of many models for training (<c>routellm train KIND --scores FILE</c>): RouterBench's CSV
/// (<c>prompt</c> as a Python list literal holding one string, then per model <c>&lt;model&gt;</c> correctness,
/// <c>&lt;model&gt;|model_response</c> and <c>&lt;model&gt;|total_cost</c>), or the generic scored CSV (<c>prompt</c> and
/// one score column per model: <c>True</c>/<c>False</c> or a number in [0, 1]; an empty cell is "not scored"; a column
/// without a name, such as a pandas index, is ignored). Model
/// names become canonical through <see cref="DataReadOptions.Aliases"/>. A folder reads every <c>*.csv</c> in it.
/// </summary>
public static class ScoredPrompts
{
    private const string CostSuffix = "|total_cost";
    private const string ResponseSuffix = "|model_response";

    // RouterBench columns that are neither a model nor the prompt; oracle_model_to_route_to leaks the answer.
    private static readonly string[] RouterBenchColumns = ["sample_id", "eval_name", "oracle_model_to_route_to"];

    /// <summary>Reads a file, or every <c>*.csv</c> of a folder in name order.</summary>
    /// <param name="path">A CSV file or a folder of them.</param>
    /// <param name="options">Bad-row policy and model aliases.</param>
    /// <exception cref="DataFormatException">A row is malformed (unless skipped), naming the file, line and field.</exception>
    public static ReadResult<ScoredPrompt> Read(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DataReadOptions();
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal).ToArray() : [path];
        var prompts = new List<ScoredPrompt>();
        var skipped = new SkippedRows();
        foreach (var file in files)
        {
            ReadFile(file, options, prompts, skipped);
        }

        return new ReadResult<ScoredPrompt>(prompts, skipped);
    }

    private static void ReadFile(string file, DataReadOptions options, List<ScoredPrompt> prompts, SkippedRows skipped)
    {
        var bad = new BadRows(file, options.SkipBadRows, skipped);
        using var csv = CsvReader.Open(file, bad);
        var prompt = csv.RequireColumn("prompt");
        var isRouterBench = csv.Header.Any(h => h.EndsWith(CostSuffix, StringComparison.Ordinal));
        var models = csv.Header
            .Select((name, column) => (Name: name, Column: column))
            .Where(c => c.Column != prompt && !string.IsNullOrWhiteSpace(c.Name) && !c.Name.Contains('|', StringComparison.Ordinal)
                && !(isRouterBench && RouterBenchColumns.Contains(c.Name)))
            .Select(c => (c.Name, c.Column, Canonical: options.Aliases.Canonical(c.Name), Cost: csv.FindColumn(c.Name + CostSuffix)))
            .ToArray();
        if (models.Length == 0)
        {
            throw new DataFormatException(file, 1, null, "no model column beside 'prompt'");
        }

        while (csv.Read())
        {
            var text = isRouterBench ? PythonListString(csv[prompt], csv.Line, bad) : csv[prompt];
            if (string.IsNullOrWhiteSpace(text))
            {
                if (text is not null)
                {
                    bad.Report(csv.Line, "prompt", "empty prompt", "the prompt is empty");
                }

                continue;
            }

            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            var costs = new Dictionary<string, double>(StringComparer.Ordinal);
            var malformed = false;
            foreach (var model in models)
            {
                var cell = csv[model.Column].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }

                if (!TryScore(cell, out var score))
                {
                    bad.Report(csv.Line, model.Name, "bad score", $"'{cell}' is neither True/False nor a number in [0, 1]");
                    malformed = true;
                    break;
                }

                scores[model.Canonical] = score;
                if (model.Cost >= 0 && csv[model.Cost].Trim() is { Length: > 0 } costText)
                {
                    if (!double.TryParse(costText, NumberStyles.Float, CultureInfo.InvariantCulture, out var cost) || !double.IsFinite(cost) || cost < 0)
                    {
                        bad.Report(csv.Line, model.Name + CostSuffix, "bad cost", $"'{costText}' is not a USD amount ≥ 0");
                        malformed = true;
                        break;
                    }

                    costs[model.Canonical] = cost;
                }
            }

            if (malformed)
            {
                continue;
            }

            if (scores.Count == 0)
            {
                bad.Skip("no model scored");
                continue;
            }

            prompts.Add(new ScoredPrompt(isRouterBench ? FewShotPrompt.LastBlock(text) : text, scores, costs));
        }
    }

    private static bool TryScore(string cell, out double score)
    {
        if (bool.TryParse(cell, out var correct))
        {
            score = correct ? 1 : 0;
            return true;
        }

        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out score) && score is >= 0 and <= 1;
    }

    /// <summary>The one string of a Python list literal such as <c>['It\'s\nfine']</c>; null (reported) when malformed.</summary>
    private static string? PythonListString(string cell, long line, BadRows bad)
    {
        var text = cell.Trim();
        if (text.Length < 4 || text[0] != '[' || text[^1] != ']' || text[1] is not ('\'' or '"') || text[^2] != text[1])
        {
            bad.Report(line, "prompt", "bad prompt", "expected a Python list literal holding one string, e.g. ['...']");
            return null;
        }

        var body = text.AsSpan(2, text.Length - 4);
        var result = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 == body.Length)
            {
                result.Append(body[i]);
                continue;
            }

            var escape = body[++i];
            switch (escape)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case 'x' or 'u':
                    var digits = escape == 'x' ? 2 : 4;
                    if (i + digits >= body.Length
                        || !int.TryParse(body.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        bad.Report(line, "prompt", "bad prompt", $"'\\{escape}' is not followed by {digits} hex digits");
                        return null;
                    }

                    result.Append((char)code);
                    i += digits;
                    break;
                default: result.Append(escape); break;
            }
        }

        return result.ToString();
    }
}
