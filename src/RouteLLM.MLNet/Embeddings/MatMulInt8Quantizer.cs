using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Dynamic int8 quantization of an ONNX model's weight matrices, the rewrite ONNX Runtime's <c>quantize_dynamic</c>
/// makes: every <c>MatMul</c> by a constant 2-D float matrix becomes ONNX Runtime's contrib op
/// <c>com.microsoft.DynamicQuantizeMatMul</c>, whose weights are int8 with one symmetric scale per output column
/// and whose input is quantized to uint8 at run time, per tensor. A bias <c>Add</c> that follows is folded into the
/// op. Attention's activation-by-activation products stay fp32. The output is a pure function of the input bytes.
/// </summary>
/// <remarks>
/// On CPUs with AVX-512 VNNI the u8×s8 products are exact in int32. Without VNNI, ONNX Runtime's AVX2 kernel
/// (<c>vpmaddubsw</c>) can saturate on large weight pairs; ONNX Runtime documents that this rarely matters, and the
/// fidelity test measures the result on the machine it runs on.
/// </remarks>
internal static class MatMulInt8Quantizer
{
    /// <summary>Names the scheme in model ids and cache file names; change it whenever the output would change.</summary>
    public const string Scheme = "int8";

    private const string ContribDomain = "com.microsoft";

    /// <summary>Returns the quantized model.</summary>
    /// <param name="model">An fp32 ONNX model.</param>
    /// <exception cref="InvalidDataException">The model has no weight matrix to quantize.</exception>
    public static byte[] Quantize(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input.Select(input => (input, n))).ToLookup(p => p.input, p => p.n, StringComparer.Ordinal);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

        var folded = new HashSet<NodeProto>();
        var nodes = new List<NodeProto>(graph.Node.Count);
        var quantized = 0;
        foreach (var node in graph.Node)
        {
            if (folded.Contains(node))
            {
                continue;
            }

            if (!IsWeightMatMul(node, initializers, consumers, out var weight))
            {
                nodes.Add(node);
                continue;
            }

            var (values, scales) = QuantizeColumns(weight);
            graph.Initializer.Remove(weight);
            if (graph.Input.FirstOrDefault(i => i.Name == weight.Name) is { } listedAsInput)
            {
                graph.Input.Remove(listedAsInput);
            }

            graph.Initializer.Add(values);
            graph.Initializer.Add(scales);
            var replacement = new NodeProto { Name = node.Name + "_int8", OpType = "DynamicQuantizeMatMul", Domain = ContribDomain };
            replacement.Input.Add(node.Input[0]);
            replacement.Input.Add(values.Name);
            replacement.Input.Add(scales.Name);
            var output = node.Output[0];
            if (FollowingBiasAdd(output, initializers, consumers, graphOutputs, (int)weight.Dims[1]) is var (add, bias))
            {
                replacement.Input.Add(""); // no weight zero point: the scale is symmetric
                replacement.Input.Add(bias);
                folded.Add(add);
                RemoveValueInfo(graph, output);
                output = add.Output[0];
            }

            replacement.Output.Add(output);
            nodes.Add(replacement);
            quantized++;
        }

        if (quantized == 0)
        {
            throw new InvalidDataException("The model has no MatMul by a constant weight matrix to quantize.");
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        if (!proto.OpsetImport.Any(o => o.Domain == ContribDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = ContribDomain, Version = 1 });
        }

        return proto.ToByteArray();
    }

    private static bool IsWeightMatMul(
        NodeProto node, Dictionary<string, TensorProto> initializers, ILookup<string, NodeProto> consumers, out TensorProto weight)
    {
        weight = null!;
        return node.OpType == "MatMul" && node.Domain is "" or "ai.onnx"
            && initializers.TryGetValue(node.Input[1], out weight!)
            && weight.DataType == (int)TensorProto.Types.DataType.Float && weight.Dims.Count == 2
            && weight.RawData.Length == weight.Dims[0] * weight.Dims[1] * sizeof(float)
            && consumers[weight.Name].Count() == 1;
    }

    // Symmetric per-column int8: q = round(w / s) with s = max|w| / 127 over the column, so that 0 stays exact.
    private static (TensorProto Values, TensorProto Scales) QuantizeColumns(TensorProto weight)
    {
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        var w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span);
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = MathF.Max(scales[c], MathF.Abs(w[r * columns + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var q = new sbyte[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                q[r * columns + c] = (sbyte)Math.Clamp(MathF.Round(w[r * columns + c] / scales[c]), -127f, 127f);
            }
        }

        var values = new TensorProto
        {
            Name = weight.Name + "_int8",
            DataType = (int)TensorProto.Types.DataType.Int8,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(q.AsSpan())),
        };
        values.Dims.Add(rows);
        values.Dims.Add(columns);
        var scaleTensor = new TensorProto
        {
            Name = weight.Name + "_scale",
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(scales.AsSpan())),
        };
        scaleTensor.Dims.Add(columns);
        return (values, scaleTensor);
    }

    // The Add that only adds a constant bias vector to the product, which DynamicQuantizeMatMul can apply itself.
    private static (NodeProto Add, string Bias)? FollowingBiasAdd(
        string product, Dictionary<string, TensorProto> initializers, ILookup<string, NodeProto> consumers, HashSet<string> graphOutputs, int columns)
    {
        var users = consumers[product].ToList();
        if (users.Count != 1 || graphOutputs.Contains(product) || users[0] is not { OpType: "Add", Input.Count: 2 } add)
        {
            return null;
        }

        var bias = add.Input[0] == product ? add.Input[1] : add.Input[0];
        return initializers.TryGetValue(bias, out var tensor)
            && tensor.DataType == (int)TensorProto.Types.DataType.Float && tensor.Dims.Count == 1 && tensor.Dims[0] == columns
            ? (add, bias)
            : null;
    }

    private static void RemoveValueInfo(GraphProto graph, string name)
    {
        if (graph.ValueInfo.FirstOrDefault(v => v.Name == name) is { } info)
        {
            graph.ValueInfo.Remove(info);
        }
    }
}
