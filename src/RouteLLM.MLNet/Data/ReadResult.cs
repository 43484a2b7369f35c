namespace RouteLLM.MLNet.Data;

/// <summary>What a data reader returns: the items it read, in file order, and what it skipped.</summary>
/// <typeparam name="T">The item type, e.g. <see cref="Battle"/> or a prompt string.</typeparam>
/// <param name="Items">The items read.</param>
/// <param name="Skipped">Rows left out, by reason; empty unless some had no usable value or SkipBadRows was set.</param>
public sealed record ReadResult<T>(IReadOnlyList<T> Items, SkippedRows Skipped);
