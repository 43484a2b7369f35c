namespace RouteLLM.MLNet.Embeddings;

/// <summary>Options of <see cref="MicroBatchingEmbeddingGenerator"/>.</summary>
public sealed class MicroBatchingOptions
{
    /// <summary>The longest <see cref="Window"/> accepted: a batch waits no longer than this.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(1);

    /// <summary>The largest <see cref="MaxBatchSize"/> accepted.</summary>
    public const int MaxMaxBatchSize = 256;

    /// <summary>
    /// How long the first text of a batch waits for others before the batch is run, from zero to
    /// <see cref="MaxWindow"/>; a batch that fills up runs at once. Default: 2 ms.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most texts run together in one ONNX Runtime call, from 1 to <see cref="MaxMaxBatchSize"/>. Default: 16.</summary>
    public int MaxBatchSize { get; set; } = 16;
}
