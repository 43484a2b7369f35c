using RouteLLM.MLNet.Embeddings;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// Turns prompts into the encoder's input with the embedder's tokenizer (<see cref="MiniLmTokenizer"/>: uncased
/// WordPiece exactly as Hugging Face runs it), so that the BERT router and the MiniLM embedder read the same tokens.
/// </summary>
internal static class PromptTokens
{
    /// <summary>all-MiniLM-L6-v2's tokenizer with the package's vocabulary: <c>[CLS]</c>, at most <paramref name="maxTokens"/> − 2 word pieces, <c>[SEP]</c>.</summary>
    public static MiniLmTokenizer Tokenizer(int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTokens, BertClassifier.MaxPositions);
        using var vocabulary = MiniLmResources.OpenVocabulary();
        return new MiniLmTokenizer(vocabulary, maxTokens);
    }

    /// <summary>Pads a batch of encoded prompts to its longest: token ids and the 1/0 attention mask, both int64.</summary>
    public static (Tensor Tokens, Tensor Mask) Batch(IReadOnlyList<long[]> encoded)
    {
        var length = encoded.Max(e => e.Length);
        var tokens = new long[encoded.Count * length];
        var mask = new long[encoded.Count * length];
        for (var row = 0; row < encoded.Count; row++)
        {
            encoded[row].CopyTo(tokens, row * length);
            Array.Fill(mask, 1L, row * length, encoded[row].Length);
        }

        long[] shape = [encoded.Count, length];
        return (tensor(tokens, shape), tensor(mask, shape));
    }
}
