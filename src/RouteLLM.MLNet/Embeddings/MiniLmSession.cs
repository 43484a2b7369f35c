using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// One ONNX Runtime session of all-MiniLM-L6-v2 that embeds one text per run on the calling thread, so that
/// several threads can run texts at once on the same weights. Thread-safe.
/// </summary>
/// <remarks>
/// A text is never padded or batched with others: with int8 weights the activations' quantization scale is taken
/// over the whole input tensor, so a batch would make each vector depend on the texts beside it. Alone, a text's
/// vector is a function of the text; measured on this project's 2-core machine, one text per thread on two threads
/// is as fast as padded length-sorted batches (docs/BENCHMARKS.md).
/// </remarks>
internal sealed class MiniLmSession : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private readonly InferenceSession _session;

    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="dimension">Width of the hidden state, checked on every run.</param>
    public MiniLmSession(byte[] model, int dimension)
    {
        Dimension = dimension;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
    }

    /// <summary>Width of the embedding.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Writes the L2-normalised mean of the last hidden state over all tokens of <paramref name="ids"/> (all are
    /// attended: sentence-transformers' mean pooling over the attention mask) into <paramref name="destination"/>.
    /// </summary>
    public void Embed(long[] ids, Span<float> destination)
    {
        long[] shape = [1, ids.Length];
        var mask = new long[ids.Length];
        Array.Fill(mask, 1L);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        if (hidden.Length != ids.Length * Dimension)
        {
            throw new InvalidOperationException($"The model returned {hidden.Length} hidden values for {ids.Length} tokens of width {Dimension}.");
        }

        destination.Clear();
        for (var token = 0; token < ids.Length; token++)
        {
            TensorPrimitives.Add(destination, hidden.Slice(token * Dimension, Dimension), destination);
        }

        // The mean's 1/n cancels in the normalisation.
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    public void Dispose() => _session.Dispose();
}
