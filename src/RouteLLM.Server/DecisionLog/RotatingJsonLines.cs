using System.Globalization;

namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// Appends lines to <c>PREFIX-YYYYMMDD-NNN.jsonl</c> in one folder, starting a new file on a new UTC day or once the
/// current one passes its size limit. Used by one writer at a time.
/// </summary>
internal sealed class RotatingJsonLines(string directory, string prefix, long maxBytes) : IDisposable
{
    private FileStream? _file;
    private string _day = "";

    public void Append(ReadOnlySpan<byte> line, DateTimeOffset time)
    {
        var day = time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (_file is null || day != _day || _file.Length >= maxBytes)
        {
            Open(day);
        }

        _file!.Write(line);
        _file.WriteByte((byte)'\n');
    }

    public void Flush() => _file?.Flush(flushToDisk: true);

    public void Dispose() => _file?.Dispose();

    private void Open(string day)
    {
        _file?.Dispose();
        _day = day;
        var number = Directory.GetFiles(directory, $"{prefix}-{day}-*.jsonl")
            .Select(path => int.TryParse(Path.GetFileNameWithoutExtension(path)[(prefix.Length + day.Length + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(1)
            .Max();
        var path = Path.Combine(directory, $"{prefix}-{day}-{number:D3}.jsonl");
        if (File.Exists(path) && new FileInfo(path).Length >= maxBytes)
        {
            path = Path.Combine(directory, $"{prefix}-{day}-{number + 1:D3}.jsonl");
        }

        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}
