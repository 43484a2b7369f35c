using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// One post-norm BERT transformer layer: self-attention and a GELU feed-forward block, each followed by dropout, a
/// residual connection and LayerNorm (eps 1e-12), as in BERT and MiniLM.
/// </summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear attention_output;
    private readonly LayerNorm attention_norm;
    private readonly Linear intermediate;
    private readonly Linear output;
    private readonly LayerNorm output_norm;
    private readonly Dropout dropout;
    private readonly int _heads;
    private readonly double _dropoutRate;

    public BertLayer(BertEncoderShape shape, double dropoutRate)
        : base(nameof(BertLayer))
    {
        var hidden = shape.HiddenSize;
        query = nn.Linear(hidden, hidden);
        key = nn.Linear(hidden, hidden);
        value = nn.Linear(hidden, hidden);
        attention_output = nn.Linear(hidden, hidden);
        attention_norm = nn.LayerNorm(hidden, BertClassifier.LayerNormEpsilon);
        intermediate = nn.Linear(hidden, shape.IntermediateSize);
        output = nn.Linear(shape.IntermediateSize, hidden);
        output_norm = nn.LayerNorm(hidden, BertClassifier.LayerNormEpsilon);
        dropout = nn.Dropout(dropoutRate);
        _heads = shape.AttentionHeads;
        _dropoutRate = dropoutRate;
        RegisterComponents();
    }

    /// <param name="hidden">Hidden states, batch × tokens × width.</param>
    /// <param name="attend">Boolean mask, batch × 1 × 1 × tokens: true where a token may be attended to.</param>
    public override Tensor forward(Tensor hidden, Tensor attend)
    {
        using var scope = NewDisposeScope();
        var context = nn.functional.scaled_dot_product_attention(
            Heads(query.forward(hidden)), Heads(key.forward(hidden)), Heads(value.forward(hidden)),
            attend, training ? _dropoutRate : 0.0);
        context = context.transpose(1, 2).reshape(hidden.shape[0], hidden.shape[1], hidden.shape[2]);
        var attended = attention_norm.forward(hidden + dropout.forward(attention_output.forward(context)));
        var expanded = nn.functional.gelu(intermediate.forward(attended));
        return output_norm.forward(attended + dropout.forward(output.forward(expanded))).MoveToOuterDisposeScope();
    }

    // batch × tokens × width → batch × heads × tokens × (width / heads)
    private Tensor Heads(Tensor x) => x.view(x.shape[0], x.shape[1], _heads, -1).transpose(1, 2);
}
