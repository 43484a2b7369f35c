using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RouteLLM.MLNet.TorchSharp.Modeling;

/// <summary>
/// A BERT encoder with a 3-way head on its mean-pooled output: logits for strong wins, tie, weak wins.
/// Mean pooling, not [CLS], because it is the sentence representation all-MiniLM-L6-v2 was trained to produce.
/// Field names are the parameter names of the weights entry; <see cref="MiniLmWeights"/> maps the ONNX names onto them.
/// </summary>
internal sealed class BertClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    public const double LayerNormEpsilon = 1e-12;
    public const int VocabularySize = 30522;
    public const int MaxPositions = 512;
    public const int Classes = 3;

    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm embedding_norm;
    private readonly ModuleList<BertLayer> layers;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    /// <param name="shape">The encoder's size.</param>
    /// <param name="dropoutRate">Dropout probability while training.</param>
    /// <param name="initialization">Draws the initial weights; null uses libtorch's process-wide generator.</param>
    public BertClassifier(BertEncoderShape shape, double dropoutRate, Generator? initialization = null)
        : base(nameof(BertClassifier))
    {
        word_embeddings = nn.Embedding(VocabularySize, shape.HiddenSize);
        position_embeddings = nn.Embedding(MaxPositions, shape.HiddenSize);
        token_type_embeddings = nn.Embedding(2, shape.HiddenSize);
        embedding_norm = nn.LayerNorm(shape.HiddenSize, LayerNormEpsilon);
        layers = nn.ModuleList(Enumerable.Range(0, shape.Layers).Select(_ => new BertLayer(shape, dropoutRate)).ToArray());
        dropout = nn.Dropout(dropoutRate);
        classifier = nn.Linear(shape.HiddenSize, Classes);
        RegisterComponents();
        InitializeLikeBert(initialization);
    }

    /// <summary>Class logits, batch × 3.</summary>
    /// <param name="tokens">Token ids, batch × tokens (int64), padded with 0.</param>
    /// <param name="mask">1 for real tokens, 0 for padding, batch × tokens (int64).</param>
    public override Tensor forward(Tensor tokens, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return classifier.forward(dropout.forward(Pool(tokens, mask))).MoveToOuterDisposeScope();
    }

    /// <summary>The encoder's masked mean over tokens, batch × width (sentence-transformers' mean pooling).</summary>
    /// <param name="tokens">Token ids, batch × tokens (int64).</param>
    /// <param name="mask">1 for real tokens, 0 for padding (int64).</param>
    public Tensor Pool(Tensor tokens, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var positions = arange(tokens.shape[1], dtype: ScalarType.Int64).unsqueeze(0);
        var hidden = word_embeddings.forward(tokens) + position_embeddings.forward(positions) + token_type_embeddings.forward(zeros_like(tokens));
        hidden = dropout.forward(embedding_norm.forward(hidden));
        var attend = mask.to(ScalarType.Bool).view(mask.shape[0], 1, 1, mask.shape[1]);
        foreach (var layer in layers)
        {
            hidden = layer.forward(hidden, attend);
        }

        var weights = mask.to(hidden.dtype).unsqueeze(-1);
        return ((hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9)).MoveToOuterDisposeScope();
    }

    /// <summary>Copies pretrained tensors into the parameters of the same names (the head is not among them).</summary>
    /// <exception cref="InvalidDataException">A tensor names no parameter, or has another shape.</exception>
    public void CopyFrom(IReadOnlyDictionary<string, TensorData> weights)
    {
        var parameters = named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, data) in weights)
        {
            if (!parameters.TryGetValue(name, out var parameter) || !parameter.shape.SequenceEqual(data.Shape))
            {
                throw new InvalidDataException($"Pretrained tensor '{name}' [{string.Join(", ", data.Shape)}] matches no parameter of the network.");
            }

            using var source = tensor(data.Values, data.Shape);
            parameter.copy_(source);
        }
    }

    /// <summary>Stops training the embeddings and the lowest <paramref name="layerCount"/> layers; nothing when 0.</summary>
    public void Freeze(int layerCount)
    {
        if (layerCount == 0)
        {
            return;
        }

        var frozen = new nn.Module[] { word_embeddings, position_embeddings, token_type_embeddings, embedding_norm }.Concat(layers.Take(layerCount));
        foreach (var parameter in frozen.SelectMany(m => m.parameters()))
        {
            parameter.requires_grad = false;
        }
    }

    // BERT's initialisation: weights N(0, 0.02), biases 0, LayerNorm 1 and 0. MiniLM's weights replace it when loaded.
    private void InitializeLikeBert(Generator? initialization)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            var isNorm = name.Contains("norm", StringComparison.Ordinal);
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else if (isNorm)
            {
                parameter.fill_(1.0);
            }
            else
            {
                parameter.normal_(0.0, 0.02, initialization);
            }
        }
    }
}
