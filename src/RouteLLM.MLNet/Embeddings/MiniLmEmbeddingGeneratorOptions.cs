namespace RouteLLM.MLNet.Embeddings;

/// <summary>Options of <see cref="MiniLmEmbeddingGenerator"/>.</summary>
public sealed class MiniLmEmbeddingGeneratorOptions
{
    /// <summary>The default token limit: sentence-transformers' max_seq_length for all-MiniLM-L6-v2.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>The model's limit: it has 512 position embeddings.</summary>
    public const int ModelMaxTokens = 512;

    /// <summary>Weights in fp32 or int8; int8 by default (see docs/BENCHMARKS.md for speed and fidelity).</summary>
    public MiniLmPrecision Precision { get; set; } = MiniLmPrecision.Int8;

    /// <summary>
    /// Tokens per text including [CLS] and [SEP], from 2 to <see cref="ModelMaxTokens"/>; longer texts are cut, as
    /// sentence-transformers cuts them. Part of the model id.
    /// </summary>
    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>How many texts are run at once, each on one thread; by default one per processor.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Where the int8 model is kept once quantized; <see cref="RouteLLMCacheDirectory.Default"/> when null.</summary>
    public string? CacheDirectory { get; set; }
}
