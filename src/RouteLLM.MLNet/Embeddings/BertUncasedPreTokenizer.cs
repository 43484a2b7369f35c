using System.Text;
using Microsoft.ML.Tokenizers;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Hugging Face's <c>BertPreTokenizer</c> (huggingface/tokenizers, pre_tokenizers/bert.rs): split on whitespace,
/// then make every punctuation character a word of its own. Punctuation is ASCII punctuation (which includes
/// symbols such as <c>$ + &lt; = &gt; ^ ` | ~</c>) or any Unicode P* category. Runs on text from
/// <see cref="BertUncasedNormalizer"/>, where a special token stands alone between spaces and is kept whole.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' word-or-punctuation pre-tokenizer (<c>\w+|\p{P}</c>) instead drops every character that
/// is neither: math symbols, currency signs and emoji vanish rather than becoming tokens or [UNK].
/// </remarks>
internal sealed class BertUncasedPreTokenizer(IEnumerable<string> specialTokens) : PreTokenizer
{
    private readonly HashSet<string> _specialTokens = new(specialTokens, StringComparer.Ordinal);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var splits = new List<(int Offset, int Length)>();
        var lookup = _specialTokens.GetAlternateLookup<ReadOnlySpan<char>>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            if (lookup.Contains(text[i..end]))
            {
                splits.Add((i, end - i));
            }
            else
            {
                SplitPunctuation(text, i, end, splits);
            }

            i = end;
        }

        return splits;
    }

    private static void SplitPunctuation(ReadOnlySpan<char> text, int start, int end, List<(int Offset, int Length)> splits)
    {
        var wordStart = start;
        for (var i = start; i < end;)
        {
            Rune.DecodeFromUtf16(text[i..end], out var rune, out var consumed);
            if (IsPunctuation(rune))
            {
                if (i > wordStart)
                {
                    splits.Add((wordStart, i - wordStart));
                }

                splits.Add((i, consumed));
                wordStart = i + consumed;
            }

            i += consumed;
        }

        if (end > wordStart)
        {
            splits.Add((wordStart, end - wordStart));
        }
    }

    // Rust's char::is_ascii_punctuation: ! through /, : through @, [ through `, { through ~.
    private static bool IsPunctuation(Rune rune) =>
        rune.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.IsPunctuation(rune);
}
