namespace RouteLLM.MLNet.TorchSharp;

/// <summary>The size of a BERT encoder; the vocabulary is always MiniLM's (30,522 WordPiece tokens).</summary>
/// <param name="Layers">Number of transformer layers.</param>
/// <param name="HiddenSize">Width of the hidden states; a multiple of <paramref name="AttentionHeads"/>.</param>
/// <param name="AttentionHeads">Number of self-attention heads per layer.</param>
/// <param name="IntermediateSize">Width of each layer's feed-forward block.</param>
public sealed record BertEncoderShape(int Layers, int HiddenSize, int AttentionHeads, int IntermediateSize)
{
    /// <summary>all-MiniLM-L6-v2: 6 layers, 384 wide, 12 heads, feed-forward 1,536.</summary>
    public static BertEncoderShape MiniLM { get; } = new(6, 384, 12, 1536);

    /// <summary>Throws when the shape cannot make an encoder.</summary>
    /// <exception cref="ArgumentException">A size is not positive, or the hidden size is not a multiple of the heads.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfLessThan(AttentionHeads, 1, nameof(AttentionHeads));
        ArgumentOutOfRangeException.ThrowIfLessThan(IntermediateSize, 1, nameof(IntermediateSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        if (HiddenSize % AttentionHeads != 0)
        {
            throw new ArgumentException($"HiddenSize {HiddenSize} is not a multiple of AttentionHeads {AttentionHeads}.");
        }
    }
}
