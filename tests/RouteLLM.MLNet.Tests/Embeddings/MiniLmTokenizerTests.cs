using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>
/// Parity with Hugging Face's BERT uncased tokenizer (huggingface/tokenizers: BertNormalizer with clean_text,
/// handle_chinese_chars, strip_accents and lowercase; BertPreTokenizer; WordPiece with "##" and [UNK]). Each case
/// writes the tokens that algorithm gives, derived by hand in the comment above it, and looks their ids up in the
/// model's own vocab.txt; no id is typed in.
/// </summary>
public sealed class MiniLmTokenizerTests
{
    private static readonly Dictionary<string, int> Vocabulary = ReadVocabulary();
    private static readonly MiniLmTokenizer Tokenizer = new(MiniLmResources.OpenVocabulary(), maxTokens: 256);

    [Fact]
    public void Accents_are_stripped_after_decomposition_and_case_is_folded() =>
        // NFD turns é, ï, É into a letter plus a non-spacing mark, which is dropped; lower-casing follows.
        // Every word is then a whole vocabulary entry.
        AssertTokens("Café naïve RÉSUMÉ école", "cafe", "naive", "resume", "ecole");

    [Fact]
    public void Cjk_ideographs_are_split_one_by_one() =>
        // Spaces go around each CJK ideograph; 爱 (simplified) is not in the vocabulary, so it is [UNK] on its own.
        // "tokyo" stays a word; 東 and 京 are ideographs.
        AssertTokens("我爱北京 Tokyo東京", "我", "[UNK]", "北", "京", "tokyo", "東", "京");

    [Fact]
    public void Hangul_is_decomposed_into_jamo_word_pieces() =>
        // NFD decomposes 한국어 into the jamo ᄒ ᅡ ᆫ ᄀ ᅮ ᆨ ᄋ ᅥ, one word; greedy longest-match finds no entry joining
        // two of them, so the first is a piece and each following one a "##" continuation.
        AssertTokens("한국어", "\u1112", "##\u1161", "##\u11AB", "##\u1100", "##\u116E", "##\u11A8", "##\u110B", "##\u1165");

    [Fact]
    public void Punctuation_and_ascii_symbols_are_words_of_their_own() =>
        // Every ASCII punctuation character (symbols like ^ + = $ included) and every Unicode P* character is
        // isolated; '_' too. "2024" is not an entry: longest prefix "202", then "##4".
        AssertTokens("Hello, world!!! x^2+y=3 $5 foo_bar 2024",
            "hello", ",", "world", "!", "!", "!", "x", "^", "2", "+", "y", "=", "3", "$", "5", "foo", "_", "bar", "202", "##4");

    [Fact]
    public void Words_with_characters_outside_the_vocabulary_become_one_unknown() =>
        // 🍕 is category So (neither space nor punctuation): alone it is a word with no piece, so [UNK]; glued to
        // "pizza" the whole word fails at its first character and is one [UNK].
        AssertTokens("I love 🍕 pizza 🍕pizza", "i", "love", "[UNK]", "pizza", "[UNK]");

    [Fact]
    public void Whitespace_controls_separate_words_and_other_controls_vanish() =>
        // Tab, LF, CR and no-break space are whitespace; zero-width space and soft hyphen (Cf), NUL and BEL (Cc)
        // are deleted, joining the letters around them.
        AssertTokens("hello\tworld\r\nthis\u00A0is\n wor\u200Bld co\u00ADoper\u0000at\u0007e",
            "hello", "world", "this", "is", "world", "cooperate");

    [Fact]
    public void Word_pieces_take_the_longest_vocabulary_prefix() =>
        // "tokenization": longest entry prefix "token", rest "##ization". "embeddings": "em", "##bed", "##ding", "##s"
        // (no longer prefix of the remainder is an entry at each step).
        AssertTokens("tokenization embeddings", "token", "##ization", "em", "##bed", "##ding", "##s");

    [Fact]
    public void Special_tokens_in_the_text_are_kept_only_in_their_exact_spelling() =>
        // Hugging Face matches added tokens case-sensitively in the raw text: [SEP] is the separator token; "[sep]"
        // is ordinary text, split into '[', "sep", ']'.
        AssertTokens("what is[SEP]this [sep]", "what", "is", "[SEP]", "this", "[", "sep", "]");

    [Fact]
    public void Empty_and_blank_texts_are_just_cls_and_sep()
    {
        AssertTokens("");
        AssertTokens(" \t\n\u200B ");
    }

    [Fact]
    public void Long_text_is_cut_at_the_limit_including_cls_and_sep()
    {
        // 300 × "hello" is 300 one-piece words: the limit of 256 keeps [CLS], 254 of them and [SEP].
        var ids = Tokenizer.Encode(string.Join(' ', Enumerable.Repeat("hello", 300)));
        Assert.Equal(256, ids.Length);
        Assert.Equal([Id("[CLS]"), .. Enumerable.Repeat((long)Id("hello"), 254), Id("[SEP]")], ids);
    }

    [Fact]
    public void Truncation_may_cut_a_word_between_its_pieces()
    {
        // 253 × "hello" then "tokenization" (token + ##ization): the 254th and last kept token is "token".
        var ids = Tokenizer.Encode(string.Join(' ', Enumerable.Repeat("hello", 253)) + " tokenization");
        Assert.Equal(256, ids.Length);
        Assert.Equal(Id("token"), ids[^2]);
        Assert.Equal(Id("[SEP]"), ids[^1]);
    }

    private static void AssertTokens(string text, params string[] tokens) =>
        Assert.Equal([Id("[CLS]"), .. tokens.Select(t => (long)Id(t)), Id("[SEP]")], Tokenizer.Encode(text));

    private static long Id(string token) =>
        Vocabulary.TryGetValue(token, out var id) ? id : throw new InvalidOperationException($"'{token}' is not in vocab.txt.");

    private static Dictionary<string, int> ReadVocabulary()
    {
        using var reader = new StreamReader(MiniLmResources.OpenVocabulary());
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        while (reader.ReadLine() is { } line)
        {
            vocabulary.TryAdd(line, id++);
        }

        return vocabulary;
    }
}
