using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.TorchSharp.Modeling;
using static TorchSharp.torch;

[assembly: RouterKind("bert", typeof(RouteLLM.MLNet.TorchSharp.BertRouterModel.Loader))]

namespace RouteLLM.MLNet.TorchSharp;

/// <summary>
/// RouteLLM's <c>bert</c> router: a BERT encoder fine-tuned to classify a prompt as strong wins, tie or weak wins;
/// P(strong wins) is the first class's softmax probability. Reads prompt text, not embeddings. Thread-safe.
/// </summary>
public sealed class BertRouterModel : RouterModel
{
    /// <summary>Name of the zip entry holding the network's parameters.</summary>
    public const string WeightsEntry = "bert/weights.bin";

    // Prompts are scored in batches of similar length, so that little time goes into padding.
    private const int ScoringBatchSize = 32;

    private readonly BertNetworkConfig _config;
    private readonly BertClassifier _network;
    private readonly MiniLmTokenizer _tokenizer;
    private readonly byte[] _weights;

    internal BertRouterModel(RouterManifest manifest, BertNetworkConfig config, BertClassifier network, byte[] weights, PromptEmbeddings? trainingPrompts)
        : base(manifest, trainingPrompts)
    {
        _config = config;
        _network = network;
        _network.eval();
        _tokenizer = PromptTokens.Tokenizer(config.MaxTokens);
        _weights = weights;
    }

    /// <summary>The encoder's size.</summary>
    public BertEncoderShape Shape => _config.Shape;

    /// <summary>Longest token sequence scored, special tokens included; longer prompts are truncated.</summary>
    public int MaxTokens => _config.MaxTokens;

    /// <summary>Whether the encoder was fine-tuned from all-MiniLM-L6-v2 (otherwise it was trained from random weights).</summary>
    public bool IsFineTunedFromMiniLM => _config.BaseModelDigest is not null;

    /// <inheritdoc/>
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var encoded = prompts.Select(_tokenizer.Encode).ToArray();
        var byLength = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ToArray();
        foreach (var chunk in byLength.Chunk(ScoringBatchSize))
        {
            var rates = StrongWinRates(chunk.Select(i => encoded[i]).ToArray());
            for (var j = 0; j < chunk.Length; j++)
            {
                destination[chunk[j]] = rates[j];
            }
        }
    }

    /// <inheritdoc/>
    protected override RouterModel WithModelsCore(RouterManifest manifest) => new BertRouterModel(manifest, _config, _network, _weights, TrainingPrompts);

    /// <inheritdoc/>
    protected internal override void SaveContents(RouterZipWriter writer)
    {
        writer.WriteJson(BertNetworkConfig.EntryName, _config);
        writer.WriteBytes(WeightsEntry, _weights);
    }

    private float[] StrongWinRates(IReadOnlyList<long[]> batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (tokens, mask) = PromptTokens.Batch(batch);
        return nn.functional.softmax(_network.forward(tokens, mask), 1)[.., 0].contiguous().data<float>().ToArray();
    }

    /// <summary>Reads BERT routers from their zip.</summary>
    public sealed class Loader : IRouterModelLoader
    {
        /// <inheritdoc/>
        public RouterModel Load(RouterZipReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            var config = reader.ReadJson<BertNetworkConfig>(BertNetworkConfig.EntryName);
            config.Validate();
            var weights = reader.ReadBytes(WeightsEntry);
            var baseWeights = config.BaseModelDigest is { } digest ? MiniLmWeights.ReadBase(digest) : null;
            var network = new BertClassifier(config.Shape, dropoutRate: 0);
            ParameterDeltas.Load(network, weights, baseWeights, WeightsEntry);
            return new BertRouterModel(reader.Manifest, config, network, weights, reader.ReadTrainingPrompts());
        }
    }
}
