using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// One ONNX Runtime session of all-MiniLM-L6-v2 that embeds one text per run on the calling thread, so that
/// several threads can run texts at once on the same weights; padded batches are run only for
/// <see cref="MicroBatchingEmbeddingGenerator"/>. Thread-safe.
/// </summary>
/// <remarks>
/// By default a text is never padded or batched with others: with int8 weights the activations' quantization scale is taken
/// over the whole input tensor, so a batch would make each vector depend on the texts beside it. Alone, a text's
/// vector is a function of the text; measured on this project's 2-core machine, one text per thread on two threads
/// is as fast as padded length-sorted batches (docs/BENCHMARKS.md).
/// <para>
/// The session runs ONNX Runtime's optimized form of the model, made by the first session of a cache directory and
/// kept there in ORT format: later processes load it as it is, without optimizing the graph again or copying the
/// weights out of the file's bytes. Every session runs those same saved bytes, so the first run's vectors are the
/// later runs' vectors.
/// </para>
/// </remarks>
internal sealed class MiniLmSession : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private readonly InferenceSession _session;

    // ONNX Runtime reads the weights from these bytes for as long as the session lives, so they are pinned and kept.
    private readonly byte[] _optimizedModel;

    private MiniLmSession(byte[] optimizedModel, int dimension)
    {
        Dimension = dimension;
        _optimizedModel = optimizedModel;
        using var options = Options(GraphOptimizationLevel.ORT_DISABLE_ALL);
        options.AddSessionConfigEntry("session.use_ort_model_bytes_directly", "1");
        options.AddSessionConfigEntry("session.use_ort_model_bytes_for_initializers", "1");
        _session = new InferenceSession(_optimizedModel, options);
    }

    /// <summary>Opens a session of the bundled model in <paramref name="precision"/>.</summary>
    /// <param name="precision">fp32, or int8 (quantized and cached on first use).</param>
    /// <param name="modelDigest">SHA-256 (hex) of the bundled fp32 model.</param>
    /// <param name="cacheDirectory">The cache root: the optimized model is kept under <c>models/</c>.</param>
    /// <param name="dimension">Width of the hidden state, checked on every run.</param>
    public static MiniLmSession Open(MiniLmPrecision precision, string modelDigest, string cacheDirectory, int dimension)
    {
        // ORT format is read only by the ONNX Runtime version that wrote it.
        var path = MiniLmModelCache.PathOf(cacheDirectory,
            $"{modelDigest[..16]}.{MiniLmModelId.PrecisionName(precision)}.ort-{OrtEnv.Instance().GetVersionString()}.ort");
        if (MiniLmModelCache.TryRead(path, pinned: true) is not { } optimized)
        {
            Optimize(precision, modelDigest, cacheDirectory, path);
            optimized = MiniLmModelCache.TryRead(path, pinned: true)
                ?? throw new IOException($"{path} changed while it was being written; run again.");
        }

        return new MiniLmSession(optimized, dimension);
    }

    private static void Optimize(MiniLmPrecision precision, string modelDigest, string cacheDirectory, string path)
    {
        var model = MiniLmResources.ReadModel();
        if (MiniLmResources.Digest(model) != modelDigest)
        {
            throw new InvalidDataException(
                $"The bundled model's digest is not the {modelDigest} recorded in {Path.GetDirectoryName(path)}; delete that folder's all-MiniLM-L6-v2.* files.");
        }

        var source = precision == MiniLmPrecision.Int8 ? QuantizedModelStore.GetOrCreateInt8(model, modelDigest, cacheDirectory) : model;
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            // The extended level's fusions hold on any CPU; the next level's layout changes would tie the file to this one.
            using var options = Options(GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
            options.OptimizedModelFilePath = temporary;
            options.AddSessionConfigEntry("session.save_model_format", "ORT");
            using (new InferenceSession(source, options))
            {
            }

            MiniLmModelCache.Write(path, File.ReadAllBytes(temporary));
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static SessionOptions Options(GraphOptimizationLevel level) => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = level,
    };

    /// <summary>Width of the embedding.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Writes the L2-normalised mean of the last hidden state over all tokens of <paramref name="ids"/> (all are
    /// attended: sentence-transformers' mean pooling over the attention mask) into <paramref name="destination"/>.
    /// </summary>
    public void Embed(long[] ids, Span<float> destination) => Embed([ids], destination);

    /// <summary>
    /// Embeds <paramref name="texts"/> in one run, each text's vector (as <see cref="Embed(long[], Span{float})"/>
    /// pools it, over its own tokens) written to <paramref name="destination"/> in turn, <see cref="Dimension"/>
    /// values each. Shorter texts are padded to the longest and masked out; a batch of one is the text alone.
    /// </summary>
    /// <remarks>
    /// With int8 weights the padded batch shares one activation scale, so a text's vector depends on its batch mates
    /// (docs/BENCHMARKS.md measures how much).
    /// </remarks>
    public void Embed(IReadOnlyList<long[]> texts, Span<float> destination)
    {
        var length = texts.Max(text => text.Length);
        var ids = new long[texts.Count * length];
        var mask = new long[ids.Length];
        for (var row = 0; row < texts.Count; row++)
        {
            texts[row].CopyTo(ids, row * length);
            mask.AsSpan(row * length, texts[row].Length).Fill(1L);
        }

        long[] shape = [texts.Count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        if (hidden.Length != ids.Length * Dimension)
        {
            throw new InvalidOperationException($"The model returned {hidden.Length} hidden values for {texts.Count} × {length} tokens of width {Dimension}.");
        }

        for (var row = 0; row < texts.Count; row++)
        {
            var pooled = destination.Slice(row * Dimension, Dimension);
            pooled.Clear();
            for (var token = 0; token < texts[row].Length; token++)
            {
                TensorPrimitives.Add(pooled, hidden.Slice(((row * length) + token) * Dimension, Dimension), pooled);
            }

            // The mean's 1/n cancels in the normalisation.
            TensorPrimitives.Divide(pooled, TensorPrimitives.Norm(pooled), pooled);
        }
    }

    public void Dispose() => _session.Dispose();
}
