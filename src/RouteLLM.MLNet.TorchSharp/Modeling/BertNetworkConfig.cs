namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>The config entry of a BERT router zip: what network to build before its weights are read.</summary>
/// <param name="Shape">The encoder's size.</param>
/// <param name="MaxTokens">Longest token sequence scored, special tokens included.</param>
/// <param name="BaseModelDigest">SHA-256 of the MiniLM ONNX model the weights are differences from; null when they are absolute.</param>
/// <param name="StrongTier">Models whose wins were labelled "strong wins".</param>
/// <param name="WeakTier">Models whose wins were labelled "weak wins".</param>
internal sealed record BertNetworkConfig(
    BertEncoderShape Shape, int MaxTokens, string? BaseModelDigest, IReadOnlyList<string> StrongTier, IReadOnlyList<string> WeakTier)
{
    public const string EntryName = "bert/config.json";

    /// <summary>Throws when the entry cannot describe a network (a hand-edited or foreign zip).</summary>
    public void Validate()
    {
        try
        {
            ArgumentNullException.ThrowIfNull(Shape);
            Shape.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokens, 3);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxTokens, BertClassifier.MaxPositions);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{EntryName} is invalid: {e.Message}", e);
        }
    }
}
