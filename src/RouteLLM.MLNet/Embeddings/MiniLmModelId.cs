using System.Globalization;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// The model id of <see cref="MiniLmEmbeddingGenerator"/>, naming everything that changes its vectors:
/// <c>all-MiniLM-L6-v2;onnx=&lt;first 12 hex digits of the ONNX file's SHA-256&gt;;max_tokens=256;precision=int8</c>.
/// </summary>
internal sealed record MiniLmModelId(string OnnxDigest, int MaxTokens, MiniLmPrecision Precision)
{
    private const string Model = "all-MiniLM-L6-v2";
    private const int DigestLength = 12;

    public static MiniLmModelId For(string onnxDigest, int maxTokens, MiniLmPrecision precision) =>
        new(onnxDigest[..DigestLength], maxTokens, precision);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Model};onnx={OnnxDigest};max_tokens={MaxTokens};precision={PrecisionName(Precision)}");

    /// <summary>Reads an id written by <see cref="ToString"/>; null for any other text.</summary>
    public static MiniLmModelId? TryParse(string id)
    {
        var parts = id.Split(';');
        if (parts is not [Model, var onnx, var maxTokens, var precision]
            || !onnx.StartsWith("onnx=", StringComparison.Ordinal) || onnx.Length != "onnx=".Length + DigestLength
            || !maxTokens.StartsWith("max_tokens=", StringComparison.Ordinal)
            || !int.TryParse(maxTokens.AsSpan("max_tokens=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var tokens)
            || ParsePrecision(precision) is not { } parsed)
        {
            return null;
        }

        return new MiniLmModelId(onnx["onnx=".Length..], tokens, parsed);
    }

    /// <summary>How ids and cache file names spell <paramref name="precision"/>.</summary>
    public static string PrecisionName(MiniLmPrecision precision) => precision switch
    {
        MiniLmPrecision.Float32 => "fp32",
        MiniLmPrecision.Int8 => MatMulInt8Quantizer.Scheme,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    private static MiniLmPrecision? ParsePrecision(string part) => part switch
    {
        "precision=fp32" => MiniLmPrecision.Float32,
        _ when part == "precision=" + MatMulInt8Quantizer.Scheme => MiniLmPrecision.Int8,
        _ => null,
    };
}
