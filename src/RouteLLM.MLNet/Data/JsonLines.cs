using System.Text.Json;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads JSON Lines (one JSON object per line, blank lines ignored), as pandas' <c>read_json(lines=True)</c> reads
/// RouteLLM's files, and takes typed fields out of each object with errors that name file, line and field.
/// </summary>
internal static class JsonLines
{
    /// <summary>The objects of <paramref name="path"/> with the line each is on; each is valid until the next is read.</summary>
    public static IEnumerable<(long Line, JsonElement Row)> Read(string path, BadRows bad)
    {
        using var reader = new StreamReader(DataLayout.RequireFile(path), detectEncodingFromByteOrderMarks: true);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                bad.Report(line, null, "invalid JSON", e.Message);
                continue;
            }

            using (document)
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    yield return (line, document.RootElement);
                }
                else
                {
                    bad.Report(line, null, "not a JSON object", $"the line holds a JSON {document.RootElement.ValueKind}");
                }
            }
        }
    }

    /// <summary>A string field; a missing or non-string field is a bad row.</summary>
    public static bool TryGetString(JsonElement row, string field, long line, BadRows bad, out string value)
    {
        if (row.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        value = "";
        bad.Report(line, field, "missing or not a string", Describe(row, field));
        return false;
    }

    /// <summary>A numeric field; a missing or non-numeric field is a bad row.</summary>
    public static bool TryGetNumber(JsonElement row, string field, long line, BadRows bad, out double value)
    {
        if (row.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.Number)
        {
            value = element.GetDouble();
            return true;
        }

        value = 0;
        bad.Report(line, field, "missing or not a number", Describe(row, field));
        return false;
    }

    /// <summary>An integer field; a missing field or one that is not a whole number is a bad row.</summary>
    public static bool TryGetInt64(JsonElement row, string field, long line, BadRows bad, out long value)
    {
        if (row.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value))
        {
            return true;
        }

        value = 0;
        bad.Report(line, field, "missing or not an integer", Describe(row, field));
        return false;
    }

    private static string Describe(JsonElement row, string field) =>
        row.TryGetProperty(field, out var element) ? $"found {element.ValueKind} {Shorten(element.GetRawText())}" : "the field is absent";

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
