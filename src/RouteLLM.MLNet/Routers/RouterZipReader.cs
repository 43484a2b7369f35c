using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;

namespace RouteLLM.MLNet.Routers;

/// <summary>Reads the entries of a router zip, checking each against the digest its manifest records.</summary>
public sealed class RouterZipReader
{
    private readonly ZipArchive _archive;

    private RouterZipReader(ZipArchive archive, string sourceName, RouterManifest manifest)
    {
        _archive = archive;
        SourceName = sourceName;
        Manifest = manifest;
    }

    /// <summary>The zip's manifest.</summary>
    public RouterManifest Manifest { get; }

    /// <summary>The file the zip came from, for error messages.</summary>
    public string SourceName { get; }

    /// <summary>Reads an entry's bytes after checking its digest.</summary>
    /// <param name="name">Entry name.</param>
    /// <exception cref="RouterFormatException">The entry is missing, unlisted in the manifest, or corrupt.</exception>
    public byte[] ReadBytes(string name)
    {
        if (!Manifest.EntryDigests.TryGetValue(name, out var expected))
        {
            throw Error($"entry '{name}' is not listed in the manifest");
        }

        var entry = _archive.GetEntry(name) ?? throw Error($"entry '{name}' is missing");
        byte[] content;
        try
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Error($"entry '{name}' is corrupt ({e.Message})", e);
        }

        if (Convert.ToHexStringLower(SHA256.HashData(content)) != expected)
        {
            throw Error($"entry '{name}' does not match the digest in the manifest (corrupt or edited)");
        }

        return content;
    }

    /// <summary>Reads a JSON entry.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="name">Entry name.</param>
    public T ReadJson<T>(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(ReadBytes(name), RouterZip.Json) ?? throw Error($"entry '{name}' is null");
        }
        catch (JsonException e)
        {
            throw Error($"entry '{name}' is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Reads an entry written by <see cref="RouterZipWriter.WriteDataView"/>.</summary>
    /// <param name="name">Entry name.</param>
    public IDataView ReadDataView(string name) =>
        new MLContext(seed: 0).Data.LoadFromBinary(new BytesStreamSource(ReadBytes(name)));

    /// <summary>Reads a matrix written by <see cref="RouterZipWriter.WriteMatrix"/>.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="rows">Number of rows read.</param>
    /// <param name="columns">Number of columns read.</param>
    /// <returns>Row-major values.</returns>
    public float[] ReadMatrix(string name, out int rows, out int columns)
    {
        try
        {
            return MatrixTable.Read(ReadBytes(name), out rows, out columns);
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            throw Error($"entry '{name}' is not a matrix table ({e.Message})", e);
        }
    }

    /// <summary>Reads the training prompts' embeddings the zip keeps, or null when it keeps none.</summary>
    public PromptEmbeddings? ReadTrainingPrompts()
    {
        if (Manifest.TrainingPromptsEmbedder is not { } embedder)
        {
            return null;
        }

        var values = ReadMatrix(RouterZip.TrainingPromptsEntry, out _, out var columns);
        return columns == embedder.Dimension
            ? new PromptEmbeddings(embedder, values)
            : throw Error($"entry '{RouterZip.TrainingPromptsEntry}' has {columns} columns, but its embedder has dimension {embedder.Dimension}");
    }

    /// <summary>Creates an error naming this zip.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public RouterFormatException Error(string problem, Exception? inner = null) => new($"{SourceName}: {problem}", inner);

    internal static RouterZipReader Open(ZipArchive archive, string sourceName)
    {
        var entry = archive.GetEntry(RouterZip.ManifestEntry)
            ?? throw new RouterFormatException($"{sourceName}: not a router zip (no {RouterZip.ManifestEntry})");
        RouterManifest manifest;
        try
        {
            using var stream = entry.Open();
            manifest = JsonSerializer.Deserialize<RouterManifest>(stream, RouterZip.Json)
                ?? throw new RouterFormatException($"{sourceName}: {RouterZip.ManifestEntry} is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new RouterFormatException($"{sourceName}: {RouterZip.ManifestEntry} is unreadable ({e.Message})", e);
        }

        if (manifest.FormatVersion > RouterManifest.CurrentFormatVersion || manifest.FormatVersion < 1)
        {
            throw new RouterFormatException(
                $"{sourceName}: router zip format version {manifest.FormatVersion} is not supported (this library reads 1..{RouterManifest.CurrentFormatVersion})");
        }

        return new RouterZipReader(archive, sourceName, manifest);
    }
}
