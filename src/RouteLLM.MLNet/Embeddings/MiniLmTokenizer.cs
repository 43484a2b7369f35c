using Microsoft.ML.Tokenizers;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2's tokenizer: BERT uncased WordPiece exactly as Hugging Face runs it, with
/// <c>[CLS] … [SEP]</c> around at most <see cref="MaxTokens"/> tokens. Thread-safe.
/// </summary>
internal sealed class MiniLmTokenizer
{
    private static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
    private readonly BertTokenizer _bert;

    /// <param name="vocabulary">vocab.txt: one token per line, the line number (from 0) being its id.</param>
    /// <param name="maxTokens">Token limit including [CLS] and [SEP].</param>
    public MiniLmTokenizer(Stream vocabulary, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        MaxTokens = maxTokens;
        _bert = BertTokenizer.Create(vocabulary, new BertOptions
        {
            Normalizer = new BertUncasedNormalizer(SpecialTokens),
            PreTokenizer = new BertUncasedPreTokenizer(SpecialTokens),
            // Special tokens are matched by the normaliser and pre-tokenizer above, case-sensitively as Hugging Face
            // does; BertTokenizer's own matching would also take "[cls]" for one.
            SplitOnSpecialTokens = false,
        });
    }

    /// <summary>Token limit including [CLS] and [SEP].</summary>
    public int MaxTokens { get; }

    /// <summary>Id of [CLS].</summary>
    public int ClassificationTokenId => _bert.ClassificationTokenId;

    /// <summary>Id of [SEP].</summary>
    public int SeparatorTokenId => _bert.SeparatorTokenId;

    /// <summary>Id of [UNK].</summary>
    public int UnknownTokenId => _bert.UnknownTokenId;

    /// <summary>
    /// The model's input ids: [CLS], the first <c>MaxTokens - 2</c> WordPiece tokens, [SEP] (Hugging Face's
    /// truncation, which may cut a word between its pieces).
    /// </summary>
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var budget = MaxTokens - 2;

        // BertTokenizer stops before a word that would overflow its limit, where Hugging Face keeps the word's first
        // pieces. A word never yields more than MaxInputCharsPerWord pieces, so this limit always reaches the word
        // that crosses the budget, and the cut below is Hugging Face's.
        var pieces = _bert.EncodeToIds(text, budget + _bert.MaxInputCharsPerWord, addSpecialTokens: false, out _, out _);
        var count = Math.Min(budget, pieces.Count);
        var ids = new long[count + 2];
        ids[0] = _bert.ClassificationTokenId;
        for (var i = 0; i < count; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = _bert.SeparatorTokenId;
        return ids;
    }
}
