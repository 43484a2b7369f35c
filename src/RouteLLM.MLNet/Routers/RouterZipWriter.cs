using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace RouteLLM.MLNet.Routers;

/// <summary>Writes the entries of a router zip and records their digests for the manifest.</summary>
public sealed class RouterZipWriter
{
    // A fixed timestamp makes the same router produce the same bytes.
    private static readonly DateTimeOffset EntryTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ZipArchive _archive;
    private readonly SortedDictionary<string, string> _digests = new(StringComparer.Ordinal);

    internal RouterZipWriter(ZipArchive archive) => _archive = archive;

    internal IReadOnlyDictionary<string, string> Digests => _digests;

    /// <summary>Writes raw bytes as an entry.</summary>
    /// <param name="name">Entry name, e.g. <c>bert/weights.bin</c>.</param>
    /// <param name="content">The entry's bytes.</param>
    public void WriteBytes(string name, ReadOnlySpan<byte> content) => WriteEntry(name, content, recordDigest: true);

    /// <summary>Writes an object as an indented JSON entry.</summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="name">Entry name.</param>
    /// <param name="value">The object.</param>
    public void WriteJson<T>(string name, T value) => WriteBytes(name, JsonSerializer.SerializeToUtf8Bytes(value, RouterZip.Json));

    /// <summary>Writes an <see cref="IDataView"/> in ML.NET's binary format (the <c>.idv</c> that <c>SaveAsBinary</c> writes).</summary>
    /// <param name="name">Entry name, conventionally ending in <c>.idv</c>.</param>
    /// <param name="data">The table.</param>
    public void WriteDataView(string name, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var buffer = new MemoryStream();
        new MLContext(seed: 0).Data.SaveAsBinary(data, buffer);
        WriteBytes(name, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Writes a row-major float matrix as an ML.NET binary table with one vector column, one row per matrix row.</summary>
    /// <param name="name">Entry name, conventionally ending in <c>.idv</c>.</param>
    /// <param name="values">Row-major values, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns (≥ 1).</param>
    public void WriteMatrix(string name, ReadOnlySpan<float> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (values.Length != rows * columns)
        {
            throw new ArgumentException($"Matrix '{name}' has {values.Length} values, not {rows}×{columns}.", nameof(values));
        }

        WriteDataView(name, MatrixTable.ToDataView(values, rows, columns));
    }

    internal void WriteEntry(string name, ReadOnlySpan<byte> content, bool recordDigest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_digests.ContainsKey(name) || name == RouterZip.ManifestEntry && recordDigest)
        {
            throw new ArgumentException($"Router zip entry '{name}' is written twice or is reserved.", nameof(name));
        }

        var entry = _archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using (var stream = entry.Open())
        {
            stream.Write(content);
        }

        if (recordDigest)
        {
            _digests[name] = Convert.ToHexStringLower(SHA256.HashData(content));
        }
    }
}
