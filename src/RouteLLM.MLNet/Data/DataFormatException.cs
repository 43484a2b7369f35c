namespace RouteLLM.MLNet.Data;

/// <summary>A row of an input file that cannot be read; the message names the file, line and field.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file being read.</param>
    /// <param name="line">1-based line on which the bad record starts (0 when not line-based).</param>
    /// <param name="field">The column or JSON field at fault, or null for the whole record.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DataFormatException(string file, long line, string? field, string problem, Exception? innerException = null)
        : base(Describe(file, line, field, problem), innerException)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>1-based line on which the bad record starts.</summary>
    public long Line { get; }

    /// <summary>The column or field at fault, if known.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string file, long line, string? field, string problem) =>
        $"{file}{(line > 0 ? $":{line}" : "")}{(field is null ? "" : $" [{field}]")}: {problem}";
}
