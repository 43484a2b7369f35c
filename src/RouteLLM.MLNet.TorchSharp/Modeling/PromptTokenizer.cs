using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// all-MiniLM-L6-v2's tokenizer (uncased WordPiece: lower-cased, accents stripped, the package's vocab.txt), truncating
/// each prompt to <c>[CLS]</c> + <see cref="MaxTokens"/> − 2 word pieces + <c>[SEP]</c>. Thread-safe.
/// </summary>
internal sealed class PromptTokenizer
{
    private static readonly Lazy<BertTokenizer> Vocabulary = new(() =>
    {
        using var vocabulary = MiniLMWeights.OpenResource(MiniLMWeights.VocabularyResource);
        return BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    });

    public PromptTokenizer(int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxTokens, BertClassifier.MaxPositions);
        MaxTokens = maxTokens;
    }

    /// <summary>The longest sequence produced, special tokens included.</summary>
    public int MaxTokens { get; }

    /// <summary>Token ids of a prompt, with <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public int[] Encode(string prompt)
    {
        var tokenizer = Vocabulary.Value;
        var pieces = tokenizer.EncodeToIds(prompt, MaxTokens - 2, addSpecialTokens: false, out _, out _);
        return [tokenizer.ClassificationTokenId, .. pieces, tokenizer.SeparatorTokenId];
    }

    /// <summary>Pads a batch of encoded prompts to its longest: token ids and the 1/0 attention mask, both int64.</summary>
    public static (Tensor Tokens, Tensor Mask) Batch(IReadOnlyList<int[]> encoded)
    {
        var length = encoded.Max(e => e.Length);
        var tokens = new long[encoded.Count * length];
        var mask = new long[encoded.Count * length];
        for (var row = 0; row < encoded.Count; row++)
        {
            for (var i = 0; i < encoded[row].Length; i++)
            {
                tokens[row * length + i] = encoded[row][i];
                mask[row * length + i] = 1;
            }
        }

        long[] shape = [encoded.Count, length];
        return (tensor(tokens, shape), tensor(mask, shape));
    }
}
