using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Local sentence embeddings with all-MiniLM-L6-v2 (384 dimensions), run by ONNX Runtime on the CPU: BERT uncased
/// tokens exactly as Hugging Face makes them, cut at <see cref="MiniLmEmbeddingGeneratorOptions.MaxTokens"/>, mean
/// pooled and L2-normalised, as sentence-transformers computes them. Thread-safe; dispose it when done.
/// </summary>
/// <remarks>
/// Each text is embedded alone, so its vector never depends on the other texts of a call. A call runs the texts
/// longest first on <see cref="MiniLmEmbeddingGeneratorOptions.MaxDegreeOfParallelism"/> threads (the caller's
/// included) and returns when all are done.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Length of every vector.</summary>
    public const int Dimension = 384;

    // A padding token costs what a text token costs: padding the MMLU prompts of a batch of 16 to the longest doubled
    // the server's CPU time per request (docs/BENCHMARKS.md, "Micro-batching").
    private const double MaxPaddedLength = 1.25;

    // Made on first use: a process whose texts all come from an embedding cache never loads the model.
    private readonly Lazy<MiniLmTokenizer> _tokenizer;
    private readonly Lazy<MiniLmSession> _session;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly int _parallelism;
    private volatile bool _disposed;

    /// <summary>
    /// Makes a generator; the model is loaded when the first text is embedded. The first generator of a cache
    /// directory records the model's digest there and, on its first text, the optimized (with int8, first quantized)
    /// model, which later processes load as it is.
    /// </summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingGeneratorOptions? options = null)
    {
        options ??= new MiniLmEmbeddingGeneratorOptions();
        if (options.MaxTokens is < 2 or > MiniLmEmbeddingGeneratorOptions.ModelMaxTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTokens,
                $"MaxTokens must be between 2 and {MiniLmEmbeddingGeneratorOptions.ModelMaxTokens} (the model's position embeddings).");
        }

        if (options.MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be at least 1.");
        }

        if (!Enum.IsDefined(options.Precision))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Precision, "Unknown precision.");
        }

        var cacheDirectory = options.CacheDirectory ?? RouteLLMCacheDirectory.Default;
        var digest = MiniLmModelCache.SourceDigest(cacheDirectory);
        var (precision, maxTokens) = (options.Precision, options.MaxTokens);
        _tokenizer = new Lazy<MiniLmTokenizer>(() =>
        {
            using var vocabulary = MiniLmResources.OpenVocabulary();
            return new MiniLmTokenizer(vocabulary, maxTokens);
        });
        _session = new Lazy<MiniLmSession>(() => MiniLmSession.Open(precision, digest, cacheDirectory, Dimension));
        _parallelism = options.MaxDegreeOfParallelism;
        Precision = precision;
        MaxTokens = maxTokens;
        ModelId = MiniLmModelId.For(digest, maxTokens, precision).ToString();
        _metadata = new EmbeddingGeneratorMetadata("onnxruntime", providerUri: null, ModelId, Dimension);
    }

    /// <summary>
    /// The id routers record: model, ONNX file digest, token limit and precision, e.g.
    /// <c>all-MiniLM-L6-v2;onnx=…;max_tokens=256;precision=int8</c>.
    /// </summary>
    public string ModelId { get; }

    /// <summary>Token limit per text, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; }

    /// <summary>Weights in fp32 or int8.</summary>
    public MiniLmPrecision Precision { get; }

    /// <summary>Tokens the model reads for <paramref name="text"/>: [CLS], its word pieces up to the limit, [SEP].</summary>
    /// <param name="text">The text.</param>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Value.Encode(text).Length;
    }

    /// <summary>Embeds each text; equal texts are run once. Usage reports the tokens run.</summary>
    /// <param name="values">The texts.</param>
    /// <param name="options">Only a <see cref="EmbeddingGenerationOptions.ModelId"/> or <see cref="EmbeddingGenerationOptions.Dimensions"/> equal to this generator's is accepted.</param>
    /// <param name="cancellationToken">Stops the call between texts.</param>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckOptions(options);
        var texts = values.ToArray();
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var slots = new int[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
            if (!distinct.TryGetValue(text, out slots[i]))
            {
                slots[i] = distinct.Count;
                distinct.Add(text, slots[i]);
            }
        }

        var tokens = new long[distinct.Count][];
        foreach (var (text, slot) in distinct)
        {
            tokens[slot] = _tokenizer.Value.Encode(text);
        }

        // Longest first, one text at a time per thread: the threads run out of work together.
        var order = Enumerable.Range(0, tokens.Length).OrderByDescending(slot => tokens[slot].Length).ToArray();
        var vectors = new float[tokens.Length * Dimension];
        var session = tokens.Length > 0 ? _session.Value : null;
        Parallel.ForEach(
            Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            slot => session!.Embed(tokens[slot], vectors.AsSpan(slot * Dimension, Dimension)));

        var embeddings = slots.Select(slot => new Embedding<float>(vectors.AsMemory(slot * Dimension, Dimension)) { ModelId = ModelId });
        long tokenCount = tokens.Sum(t => t.Length);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount },
        });
    }

    /// <summary>
    /// Embeds <paramref name="texts"/> for <see cref="MicroBatchingEmbeddingGenerator"/>, in as few ONNX Runtime runs
    /// as keep padding small: sorted by token count, a run takes texts up to <see cref="MaxPaddedLength"/> times its
    /// shortest. Returns <see cref="Dimension"/> values per text, in the order given.
    /// </summary>
    internal float[] EmbedTogether(IReadOnlyList<string> texts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tokens = texts.Select(_tokenizer.Value.Encode).ToArray();
        var order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ToArray();
        var vectors = new float[tokens.Length * Dimension];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && tokens[order[end]].Length <= tokens[order[start]].Length * MaxPaddedLength)
            {
                end++;
            }

            var run = order[start..end];
            var pooled = new float[run.Length * Dimension];
            _session.Value.Embed(Array.ConvertAll(run, i => tokens[i]), pooled);
            for (var k = 0; k < run.Length; k++)
            {
                pooled.AsSpan(k * Dimension, Dimension).CopyTo(vectors.AsSpan(run[k] * Dimension, Dimension));
            }

            start = end;
        }

        return vectors;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the ONNX Runtime session; do not dispose while a call is running.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (_session.IsValueCreated)
        {
            _session.Value.Dispose();
        }
    }

    private void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options?.ModelId is { } modelId && modelId != ModelId)
        {
            throw new ArgumentException($"This generator runs '{ModelId}', not '{modelId}'.", nameof(options));
        }

        if (options?.Dimensions is { } dimensions && dimensions != Dimension)
        {
            throw new ArgumentException($"This generator makes {Dimension}-dimensional vectors, not {dimensions}.", nameof(options));
        }
    }
}
