using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// A persistent embedding cache in front of another generator, keyed by (embedder id, text): vectors found on disk
/// are served from there, and only the texts missing are sent to the inner generator, in one call. Safe to share
/// between threads and between processes using the same directory; a crash while writing never yields a wrong vector.
/// Disposing it disposes the inner generator.
/// </summary>
/// <remarks>
/// One file per embedder id, <c>&lt;directory&gt;/embeddings/&lt;id&gt;-&lt;hash&gt;.bin</c>; the id is the inner generator's
/// <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>, so it must name everything that changes its vectors.
/// Calls whose options ask for another model id or dimension bypass the cache.
/// </remarks>
public sealed class DiskCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingCacheFile _file;
    private long _hits;
    private long _misses;

    /// <summary>Opens (or creates) the cache of <paramref name="innerGenerator"/>'s embedder.</summary>
    /// <param name="innerGenerator">The generator whose vectors are cached; its metadata must name its model and dimension.</param>
    /// <param name="directory">The cache root; <see cref="RouteLLMCacheDirectory.Default"/> when null.</param>
    /// <exception cref="ArgumentException">The generator's metadata lacks a model id or dimension.</exception>
    /// <exception cref="InvalidDataException">The cache file exists but belongs to another embedder.</exception>
    public DiskCachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, string? directory = null)
        : base(innerGenerator)
    {
        Embedder = EmbedderInfo.From(innerGenerator);
        FilePath = Path.Combine(directory ?? RouteLLMCacheDirectory.Default, "embeddings", FileName(Embedder.Id));
        _file = EmbeddingCacheFile.Open(FilePath, Embedder.Id, Embedder.Dimension);
    }

    /// <summary>The embedder whose vectors are cached.</summary>
    public EmbedderInfo Embedder { get; }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>Texts answered from the cache so far.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Distinct texts sent to the inner generator so far.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Damaged records met so far (skipped, never served).</summary>
    public long DamagedRecords => _file.DamagedRecords;

    /// <inheritdoc/>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.ModelId is { } modelId && modelId != Embedder.Id || options?.Dimensions is { } dimensions && dimensions != Embedder.Dimension)
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }

        var texts = values.ToArray();
        var vectors = new float[texts.Length][];
        var missing = new List<string>();
        var slotsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        _file.Refresh();
        for (var i = 0; i < texts.Length; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
            var vector = new float[Embedder.Dimension];
            if (_file.TryGet(EmbeddingCacheFile.KeyOf(text), vector))
            {
                vectors[i] = vector;
                Interlocked.Increment(ref _hits);
            }
            else if (slotsOf.TryGetValue(text, out var slots))
            {
                slots.Add(i);
            }
            else
            {
                slotsOf.Add(text, [i]);
                missing.Add(text);
            }
        }

        UsageDetails? usage = null;
        if (missing.Count > 0)
        {
            var generated = await base.GenerateAsync(missing, options, cancellationToken).ConfigureAwait(false);
            if (generated.Count != missing.Count)
            {
                throw new InvalidOperationException($"The inner generator returned {generated.Count} embeddings for {missing.Count} texts.");
            }

            _file.Append([.. missing.Zip(generated, (text, embedding) => (EmbeddingCacheFile.KeyOf(text), embedding.Vector))]);
            foreach (var (text, embedding) in missing.Zip(generated))
            {
                var vector = embedding.Vector.ToArray();
                slotsOf[text].ForEach(slot => vectors[slot] = vector);
            }

            Interlocked.Add(ref _misses, missing.Count);
            usage = generated.Usage;
        }

        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = Embedder.Id })) { Usage = usage };
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    // Readable and unique: the id's safe characters, then a digest of the whole id.
    private static string FileName(string id)
    {
        var readable = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').Take(48)]);
        return $"{readable}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16]}.bin";
    }
}
