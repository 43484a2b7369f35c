using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// The append-only record of every finished (paid) labeling call, one JSON line each, flushed to disk before the
/// call counts as done: a rerun reads it back and asks nothing twice. A line torn by a kill is cut off on open.
/// </summary>
internal sealed class LabelJournal : IDisposable
{
    private readonly Dictionary<string, JournalEntry> _entries = new(StringComparer.Ordinal);
    private readonly FileStream _file;
    private readonly Lock _lock = new();

    private LabelJournal(FileStream file) => _file = file;

    /// <summary>What the calls read back cost, in USD.</summary>
    public decimal Spent { get; private set; }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> and reads the calls it holds.</summary>
    /// <exception cref="InvalidDataException">A line other than the last is not a journal entry.</exception>
    public static LabelJournal Open(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var file = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var journal = new LabelJournal(file);
        try
        {
            journal.Load(full);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return journal;
    }

    public bool TryGet(string key, out JournalEntry entry)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out entry!);
        }
    }

    /// <summary>Appends a finished call and flushes it to disk.</summary>
    public void Append(JournalEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, JournalJson.Default.JournalEntry);
        lock (_lock)
        {
            _file.Write(line);
            _file.WriteByte((byte)'\n');
            _file.Flush(flushToDisk: true);
            _entries[entry.Key] = entry;
        }
    }

    public void Dispose() => _file.Dispose();

    private void Load(string path)
    {
        var bytes = new byte[_file.Length];
        _file.ReadExactly(bytes);
        var start = 0;
        var lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // A kill between the write and the newline: the call was never counted as done, so it is asked again.
                break;
            }

            var entry = Parse(bytes.AsSpan(start, end - start), path, lineNumber);
            _entries[entry.Key] = entry;
            start = end + 1;
        }

        _file.SetLength(start);
        _file.Position = start;
        Spent = _entries.Values.Sum(e => e.Usd);
    }

    private static JournalEntry Parse(ReadOnlySpan<byte> line, string path, int lineNumber)
    {
        try
        {
            return JsonSerializer.Deserialize(line, JournalJson.Default.JournalEntry)
                ?? throw new JsonException("null entry");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: not a labeling journal entry ({e.Message}): {Encoding.UTF8.GetString(line[..Math.Min(line.Length, 120)])}", e);
        }
    }
}

/// <summary>One finished call: its key, the text it returned, its token usage and its cost.</summary>
internal sealed record JournalEntry(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Text,
    long InputTokens,
    long OutputTokens,
    decimal Usd);

[JsonSerializable(typeof(JournalEntry))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class JournalJson : JsonSerializerContext;
