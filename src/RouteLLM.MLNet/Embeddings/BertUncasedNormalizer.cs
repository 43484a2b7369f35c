using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Hugging Face's <c>BertNormalizer</c> for uncased models, as sentence-transformers runs it (huggingface/tokenizers,
/// normalizers/bert.rs): drop NUL, U+FFFD and every "other" (C*) character except tab, LF and CR; turn whitespace
/// into a space; put spaces around CJK ideographs; decompose (NFD) and drop non-spacing marks; lower-case.
/// Special tokens written in the text (<c>[SEP]</c>, ...) are kept verbatim with spaces around them, because
/// Hugging Face matches them in the raw text before normalising.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own BERT normaliser differs in ways that change ids on real prompts: it deletes tab, LF
/// and CR (joining the words around a line break), keeps format characters (soft hyphen, zero-width joiner),
/// lower-cases only upper-case letters and re-composes the result to NFC, which turns decomposed Hangul back into
/// syllables that the vocabulary does not hold.
/// </remarks>
internal sealed class BertUncasedNormalizer : Normalizer
{
    private readonly string[] _specialTokens;

    /// <param name="specialTokens">Tokens matched verbatim (case-sensitive) in the raw text.</param>
    public BertUncasedNormalizer(IEnumerable<string> specialTokens) => _specialTokens = [.. specialTokens];

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        var result = new StringBuilder(original.Length + 8);
        var segmentStart = 0;
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] != '[' || SpecialTokenAt(original[i..]) is not { } special)
            {
                continue;
            }

            AppendNormalized(original[segmentStart..i], result);
            result.Append(' ').Append(special).Append(' ');
            i += special.Length - 1;
            segmentStart = i + 1;
        }

        AppendNormalized(original[segmentStart..], result);
        return result.ToString();
    }

    /// <summary>Whether a code point is a CJK ideograph that BERT tokenises on its own.</summary>
    /// <remarks>
    /// The ranges of huggingface/tokenizers' <c>is_chinese_char</c>, including its 0x2B920 lower bound of Extension E
    /// (the Python BasicTokenizer uses 0x2B820); sentence-transformers runs the Rust one.
    /// </remarks>
    internal static bool IsCjkIdeograph(int codePoint) =>
        codePoint is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B920 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;

    private string? SpecialTokenAt(ReadOnlySpan<char> text)
    {
        foreach (var token in _specialTokens)
        {
            if (text.StartsWith(token, StringComparison.Ordinal))
            {
                return token;
            }
        }

        return null;
    }

    private static void AppendNormalized(ReadOnlySpan<char> segment, StringBuilder result)
    {
        if (segment.IsEmpty)
        {
            return;
        }

        var cleaned = new StringBuilder(segment.Length + 8);
        for (var i = 0; i < segment.Length;)
        {
            // A lone surrogate decodes as invalid: it is category Cs, which BERT drops with the other C* characters.
            var status = Rune.DecodeFromUtf16(segment[i..], out var rune, out var consumed);
            i += consumed;
            if (status != System.Buffers.OperationStatus.Done || IsDropped(rune))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                cleaned.Append(' ');
            }
            else if (IsCjkIdeograph(rune.Value))
            {
                AppendRune(cleaned.Append(' '), rune).Append(' ');
            }
            else
            {
                AppendRune(cleaned, rune);
            }
        }

        // Accents are stripped before lower-casing, as in bert.rs; decomposition first turns 'İ' into 'I' + a
        // non-spacing dot, so the one-to-one invariant lower-case mapping then agrees with Rust's full mapping.
        var decomposed = cleaned.ToString().Normalize(NormalizationForm.FormD);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                AppendRune(result, Rune.ToLowerInvariant(rune));
            }
        }
    }

    private static StringBuilder AppendRune(StringBuilder builder, Rune rune)
    {
        Span<char> utf16 = stackalloc char[2];
        return builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    // tokenizers' is_control: every "other" category (Cc, Cf, Cs, Co, Cn) except the three whitespace controls.
    private static bool IsDropped(Rune rune) =>
        rune.Value is 0 or 0xFFFD
        || (rune.Value is not ('\t' or '\n' or '\r')
            && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
