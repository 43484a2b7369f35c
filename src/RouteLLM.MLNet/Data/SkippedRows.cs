using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Rows, records or grades a reader skipped, counted by reason. Readers never skip silently: whatever they leave out
/// is counted here, and callers report it.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Skipped rows counted by reason: a count per reason, read as a dictionary but named for what it counts.")]
public sealed class SkippedRows : IReadOnlyDictionary<string, int>
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>How many were skipped, all reasons together.</summary>
    public int Total { get; private set; }

    /// <inheritdoc/>
    public int Count => _counts.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _counts.Keys;

    /// <inheritdoc/>
    public IEnumerable<int> Values => _counts.Values;

    /// <inheritdoc/>
    public int this[string key] => _counts[key];

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _counts.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out int value) => _counts.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _counts.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line for a report, e.g. <c>3 skipped (2 × empty score, 1 × bad winner flags)</c>, or <c>none skipped</c>.</summary>
    public override string ToString() => Describe(this);

    /// <summary>The report line of <see cref="ToString"/> for any reason → count table, such as <see cref="BenchmarkData.Skipped"/>.</summary>
    /// <param name="skipped">Counts by reason.</param>
    public static string Describe(IReadOnlyDictionary<string, int> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        var total = skipped.Values.Sum();
        return total == 0
            ? "none skipped"
            : $"{total} skipped ({string.Join(", ", skipped.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} × {c.Key}"))})";
    }

    internal void Add(string reason, int count = 1)
    {
        _counts[reason] = _counts.GetValueOrDefault(reason) + count;
        Total += count;
    }
}
