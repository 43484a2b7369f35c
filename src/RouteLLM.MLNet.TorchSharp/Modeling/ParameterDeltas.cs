using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// The weights entry: every parameter of a <see cref="BertClassifier"/> as float16 differences from a base tensor of
/// the same name (all-MiniLM-L6-v2's, or zero where there is none). Differences keep far more precision than float16
/// weights would, and the embedding rows that fine-tuning never touched are exact zeros, which the zip compresses to
/// almost nothing. Layout: magic, tensor count, then per tensor its name, rank, dimensions and values.
/// </summary>
internal static class ParameterDeltas
{
    private static readonly byte[] Magic = "RLBERTW1"u8.ToArray();

    /// <summary>
    /// Rounds every parameter to what the entry can hold (base + float16 difference), in place, and returns the entry:
    /// a network that was saved and loaded again is then bit-identical to this one.
    /// </summary>
    public static byte[] Quantize(BertClassifier network, IReadOnlyDictionary<string, TensorData>? baseWeights)
    {
        using var output = new MemoryStream();
        var parameters = network.named_parameters().ToList();
        output.Write(Magic);
        WriteInt32(output, parameters.Count);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var shape = parameter.shape;
            var values = parameter.data<float>().ToArray();
            var origin = BaseOf(name, shape, values.Length, baseWeights);
            var deltas = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
            {
                var delta = (Half)(values[i] - origin[i]);
                if (!Half.IsFinite(delta))
                {
                    throw new InvalidOperationException($"Parameter '{name}' moved beyond float16 range from its base; training diverged.");
                }

                BinaryPrimitives.WriteHalfLittleEndian(deltas.AsSpan(2 * i), delta);
                values[i] = origin[i] + (float)delta;
            }

            using var rounded = tensor(values, shape);
            parameter.copy_(rounded);
            WriteInt32(output, Encoding.UTF8.GetByteCount(name));
            output.Write(Encoding.UTF8.GetBytes(name));
            WriteInt32(output, shape.Length);
            foreach (var dimension in shape)
            {
                WriteInt64(output, dimension);
            }

            output.Write(deltas);
        }

        return output.ToArray();
    }

    /// <summary>Sets the network's parameters from an entry written by <see cref="Quantize"/>.</summary>
    /// <exception cref="InvalidDataException">The entry is truncated, or its tensors are not this network's.</exception>
    public static void Load(BertClassifier network, byte[] entry, IReadOnlyDictionary<string, TensorData>? baseWeights, string entryName)
    {
        var reader = new EntryReader(entry, entryName);
        if (!reader.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{entryName} is not a BERT weights entry (bad header).");
        }

        var parameters = network.named_parameters().ToList();
        var count = reader.Int32();
        if (count != parameters.Count)
        {
            throw new InvalidDataException($"{entryName} holds {count} tensors; the network has {parameters.Count}.");
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var storedName = Encoding.UTF8.GetString(reader.Take(reader.Int32()));
            var shape = Enumerable.Range(0, reader.Int32()).Select(_ => reader.Int64()).ToArray();
            if (storedName != name || !shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException(
                    $"{entryName} holds '{storedName}' [{string.Join(", ", shape)}] where the network has '{name}' [{string.Join(", ", parameter.shape)}].");
            }

            var origin = BaseOf(name, shape, (int)parameter.numel(), baseWeights);
            var deltas = reader.Take(origin.Length * 2);
            var values = new float[origin.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = origin[i] + (float)BinaryPrimitives.ReadHalfLittleEndian(deltas[(2 * i)..]);
            }

            using var loaded = tensor(values, shape);
            parameter.copy_(loaded);
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException($"{entryName} has bytes after its last tensor.");
        }
    }

    private static float[] BaseOf(string name, long[] shape, int count, IReadOnlyDictionary<string, TensorData>? baseWeights)
    {
        if (baseWeights is null || !baseWeights.TryGetValue(name, out var origin))
        {
            return new float[count];
        }

        return origin.Shape.SequenceEqual(shape)
            ? origin.Values
            : throw new InvalidDataException($"Base tensor '{name}' is [{string.Join(", ", origin.Shape)}], the network's is [{string.Join(", ", shape)}].");
    }

    private static void WriteInt32(Stream output, int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        output.Write(buffer);
    }

    private static void WriteInt64(Stream output, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        output.Write(buffer);
    }

    private sealed class EntryReader(byte[] bytes, string entryName)
    {
        private int _position;

        public bool AtEnd => _position == bytes.Length;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > bytes.Length - _position)
            {
                throw new InvalidDataException($"{entryName} ends early (truncated at byte {_position}).");
            }

            _position += count;
            return bytes.AsSpan(_position - count, count);
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    }
}
