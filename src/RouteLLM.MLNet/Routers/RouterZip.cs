using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Saves and loads routers as one .zip each: <c>manifest.json</c> plus named entries, tables in ML.NET's binary
/// IDataView format. Layout: docs/ROUTER_ZIP.md.
/// </summary>
public static class RouterZip
{
    /// <summary>Name of the manifest entry.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>Name of the optional entry holding the training prompts' embeddings.</summary>
    public const string TrainingPromptsEntry = "training/prompt_embeddings.idv";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>: to a temporary file beside it first, then moved
    /// into place, so that a crash never leaves a half-written router where a server may load it.
    /// </summary>
    /// <param name="model">The router to save.</param>
    /// <param name="path">Destination .zip path; replaced if it exists.</param>
    public static void Save(RouterModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream => Write(model, stream));
    }

    /// <summary>Writes <paramref name="model"/> as a router zip to a stream.</summary>
    /// <param name="model">The router to save.</param>
    /// <param name="stream">A writable stream; left open.</param>
    public static void Write(RouterModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var writer = new RouterZipWriter(archive);
        model.SaveContents(writer);
        if (model.TrainingPrompts is { } training)
        {
            writer.WriteMatrix(TrainingPromptsEntry, training.Values, training.Count, training.Embedder.Dimension);
        }

        var manifest = model.Manifest with { EntryDigests = writer.Digests, TrainingPromptsEmbedder = model.TrainingPrompts?.Embedder };
        writer.WriteEntry(ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, Json), recordDigest: false);
    }

    /// <summary>Loads a router zip of any kind, checking its manifest and every entry's digest.</summary>
    /// <param name="path">The .zip file.</param>
    /// <exception cref="RouterFormatException">The file is not a usable router zip; the message says why.</exception>
    public static RouterModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Router zip '{path}' does not exist.", path);
        }

        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads a router zip from a stream.</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="sourceName">Name used in error messages (usually the file path).</param>
    /// <exception cref="RouterFormatException">The stream is not a usable router zip.</exception>
    public static RouterModel Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new RouterFormatException($"{sourceName}: not a router zip (truncated or corrupt archive: {e.Message})", e);
        }

        using (archive)
        {
            var reader = RouterZipReader.Open(archive, sourceName);
            var loader = RouterKinds.Resolve(reader.Manifest, sourceName);
            try
            {
                return loader.Load(reader);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or ArgumentException)
            {
                throw new RouterFormatException($"{sourceName}: router kind '{reader.Manifest.Kind}' could not be read: {e.Message}", e);
            }
        }
    }
}
