namespace RouteLLM.MLNet.Data;

/// <summary>How every data reader treats malformed rows and model names.</summary>
public sealed class DataReadOptions
{
    /// <summary>
    /// False (the default): a malformed row throws a <see cref="DataFormatException"/> naming file, line and field.
    /// True: malformed rows are skipped and counted by reason in the result's <see cref="SkippedRows"/>.
    /// Structural damage that leaves the rest of a file unreadable (a quote never closed) always throws.
    /// </summary>
    public bool SkipBadRows { get; set; }

    /// <summary>The table that maps each spelling of a model name to its canonical name.</summary>
    public ModelAliases Aliases { get; set; } = ModelAliases.Default;
}
