using Microsoft.ML.Tokenizers;

namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// Counts a prompt's tokens with a tiktoken encoding, as price lists count them. The default is <c>cl100k_base</c>
/// (GPT-4 and GPT-3.5-turbo's encoding, shipped in Microsoft.ML.Tokenizers.Data.Cl100kBase): one documented default
/// for every model, since other vendors' tokenizers are not served and differ from it by a few percent on English
/// text. Thread-safe.
/// </summary>
public sealed class TokenCounter
{
    /// <summary>The encoding <see cref="Default"/> uses.</summary>
    public const string DefaultEncoding = "cl100k_base";

    private static readonly Lazy<TokenCounter> LazyDefault = new(() => new TokenCounter(TiktokenTokenizer.CreateForEncoding(DefaultEncoding)));

    private readonly Tokenizer _tokenizer;

    /// <summary>Counts with any Microsoft.ML.Tokenizers tokenizer.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    public TokenCounter(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>The <c>cl100k_base</c> counter, created on first use.</summary>
    public static TokenCounter Default => LazyDefault.Value;

    /// <summary>How many tokens <paramref name="text"/> encodes to.</summary>
    /// <param name="text">The text.</param>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : _tokenizer.CountTokens(text);
    }
}
