namespace RouteLLM.MLNet.Data;

/// <summary>The error policy for one file: a malformed row throws, or with SkipBadRows is counted and skipped.</summary>
internal sealed class BadRows(string file, bool skipBadRows, SkippedRows skipped)
{
    public string File => file;

    /// <summary>A malformed row: throws <see cref="DataFormatException"/>, or counts it under <paramref name="reason"/>.</summary>
    public void Report(long line, string? field, string reason, string detail)
    {
        if (!skipBadRows)
        {
            throw new DataFormatException(file, line, field, $"{reason}: {detail}");
        }

        skipped.Add(reason);
    }

    /// <summary>A well-formed row that carries nothing to use (an empty score, a negative grade): always counted.</summary>
    public void Skip(string reason) => skipped.Add(reason);
}
