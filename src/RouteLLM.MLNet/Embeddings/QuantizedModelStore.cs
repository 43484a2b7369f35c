using System.Security.Cryptography;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Quantizes a model once and keeps the result on disk, named by the source model's digest and the quantization
/// scheme, with a SHA-256 beside it so that a damaged copy is rebuilt rather than loaded.
/// </summary>
internal static class QuantizedModelStore
{
    /// <summary>The int8 model for <paramref name="model"/>, read from the cache or quantized and stored there.</summary>
    /// <param name="model">The fp32 model.</param>
    /// <param name="modelDigest">SHA-256 (hex) of <paramref name="model"/>.</param>
    /// <param name="cacheDirectory">The cache root; the file goes under <c>models/</c>.</param>
    public static byte[] GetOrCreateInt8(byte[] model, string modelDigest, string cacheDirectory)
    {
        var path = Path.Combine(cacheDirectory, "models", $"all-MiniLM-L6-v2.{modelDigest[..16]}.{MatMulInt8Quantizer.Scheme}.onnx");
        var digestPath = path + ".sha256";
        if (TryRead(path, digestPath) is { } cached)
        {
            return cached;
        }

        var quantized = MatMulInt8Quantizer.Quantize(model);
        // The model goes first: a crash between the two writes leaves a digest-less model, which is rebuilt.
        AtomicFile.Write(path, quantized);
        AtomicFile.Write(digestPath, System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(quantized))));
        return quantized;
    }

    private static byte[]? TryRead(string path, string digestPath)
    {
        try
        {
            var expected = File.ReadAllText(digestPath).Trim();
            var bytes = File.ReadAllBytes(path);
            return Convert.ToHexStringLower(SHA256.HashData(bytes)) == expected ? bytes : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
