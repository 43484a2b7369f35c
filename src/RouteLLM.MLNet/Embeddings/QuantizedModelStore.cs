namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Quantizes a model once and keeps the result in <see cref="MiniLmModelCache"/>, named by the source model's digest
/// and the quantization scheme.
/// </summary>
internal static class QuantizedModelStore
{
    /// <summary>The int8 model for <paramref name="model"/>, read from the cache or quantized and stored there.</summary>
    /// <param name="model">The fp32 model.</param>
    /// <param name="modelDigest">SHA-256 (hex) of <paramref name="model"/>.</param>
    /// <param name="cacheDirectory">The cache root; the file goes under <c>models/</c>.</param>
    public static byte[] GetOrCreateInt8(byte[] model, string modelDigest, string cacheDirectory)
    {
        var path = MiniLmModelCache.PathOf(cacheDirectory, $"{modelDigest[..16]}.{MatMulInt8Quantizer.Scheme}.onnx");
        if (MiniLmModelCache.TryRead(path, pinned: false) is { } cached)
        {
            return cached;
        }

        var quantized = MatMulInt8Quantizer.Quantize(model);
        MiniLmModelCache.Write(path, quantized);
        return quantized;
    }
}
