using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.TorchSharp.Modeling;
using RouteLLM.MLNet.TorchSharp.Training;
using TorchSharp;

namespace RouteLLM.MLNet.TorchSharp;

/// <summary>
/// Trains RouteLLM's <c>bert</c> router: every parameter of a BERT encoder (all-MiniLM-L6-v2 by default) and a
/// 3-way head is fine-tuned on CPU with TorchSharp to predict, from the prompt's text, whether a strong-tier model
/// beats a weak-tier one, ties or loses. Prompts, not battles, are split into training and validation; training stops
/// early when the validation loss stops falling, and keeps the best weights.
/// </summary>
public sealed partial class BertRouterTrainer : RouterTrainerBase<BertRouterModel, BertRouterTrainer.Options>
{
    internal const string KindName = "bert";

    internal BertRouterTrainer(MLContext context, Options options)
        : base(context, options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 3, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxTokens, BertClassifier.MaxPositions, nameof(options.MaxTokens));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEpochs, 1, nameof(options.MaxEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.EarlyStoppingPatience, 1, nameof(options.EarlyStoppingPatience));
        if (!double.IsFinite(options.LearningRate) || options.LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"LearningRate {options.LearningRate} is not a positive number.");
        }

        if (!double.IsFinite(options.WeightDecay) || options.WeightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"WeightDecay {options.WeightDecay} is not a number ≥ 0.");
        }

        if (options.Dropout is not (>= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Dropout {options.Dropout} is outside [0, 1).");
        }

        if (options.ValidationFraction is not (> 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"ValidationFraction {options.ValidationFraction} is outside (0, 1).");
        }

        if (options.TimeBudget is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"TimeBudget {budget} is not positive.");
        }

        options.RandomEncoder?.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(options.FrozenLayers, nameof(options.FrozenLayers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FrozenLayers, (options.RandomEncoder ?? BertEncoderShape.MiniLM).Layers, nameof(options.FrozenLayers));
        (StrongTier, WeakTier) = ResolveTiers(options);
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override bool ReadsEmbeddings => false;

    private SortedSet<string> StrongTier { get; }

    private SortedSet<string> WeakTier { get; }

    /// <inheritdoc/>
    protected override BertRouterModel TrainCore(TrainingSet trainingSet)
    {
        var labels = TierLabels.Build(trainingSet, StrongTier, WeakTier);
        if (labels.Prompts.Count < 2)
        {
            throw new ArgumentException(
                $"{labels.Prompts.Count} prompt(s) have battles between the strong tier ({string.Join(", ", StrongTier)}) and the weak tier " +
                $"({string.Join(", ", WeakTier)}); at least 2 are needed, one to hold out for validation.");
        }

        var (training, validation) = SplitByPrompt(labels.Prompts);
        var tokenizer = PromptTokens.Tokenizer(TrainerOptions.MaxTokens);
        var encoded = labels.Prompts.ToDictionary(p => p.Prompt, p => tokenizer.Encode(trainingSet.Prompts[p.Prompt]));

        var (shape, baseDigest, baseWeights) = TrainerOptions.RandomEncoder is { } random
            ? (random, null, null)
            : ReadMiniLM();
        // The initial weights come from a generator of their own, so that a training running beside this one cannot
        // change them; dropout masks can only come from libtorch's process-wide generator.
        using var initialization = new torch.Generator((ulong)TrainerOptions.Seed);
        var network = new BertClassifier(shape, TrainerOptions.Dropout, initialization);
        torch.random.manual_seed(TrainerOptions.Seed);
        if (baseWeights is not null)
        {
            network.CopyFrom(baseWeights);
        }

        network.Freeze(TrainerOptions.FrozenLayers);

        var tuning = new FineTuning(network, encoded, training, validation, TrainerOptions);
        var result = tuning.Train();
        var weights = ParameterDeltas.Quantize(network, baseWeights);
        var metrics = new Dictionary<string, double>
        {
            ["battles"] = labels.BattlesUsed,
            ["battlesNotBetweenTiers"] = labels.BattlesSkipped,
            ["trainingPrompts"] = training.Count,
            ["validationPrompts"] = validation.Count,
            ["validationLoss"] = tuning.ValidationLoss(),
            ["epochs"] = result.Epochs,
            ["bestEpoch"] = result.BestEpoch,
            ["steps"] = result.Steps,
            ["trainingSeconds"] = Math.Round(result.Elapsed.TotalSeconds, 1),
            ["stoppedByTimeBudget"] = result.StoppedByTimeBudget ? 1 : 0,
        };
        for (var c = 0; c < tuning.ClassWeights.Count; c++)
        {
            metrics[string.Create(CultureInfo.InvariantCulture, $"classWeight{c}")] = tuning.ClassWeights[c];
        }

        var config = new BertNetworkConfig(shape, TrainerOptions.MaxTokens, baseDigest, [.. StrongTier], [.. WeakTier]);
        var manifest = CreateManifest(trainingSet, metrics, requirePairInData: false) with
        {
            Models = [.. StrongTier.Concat(WeakTier).Order(StringComparer.Ordinal)],
        };
        return new BertRouterModel(manifest, config, network, weights, TrainingPromptsOf(trainingSet));
    }

    private static (SortedSet<string> Strong, SortedSet<string> Weak) ResolveTiers(Options options)
    {
        var strongModel = ModelAliases.Default.Canonical(options.StrongModel);
        var weakModel = ModelAliases.Default.Canonical(options.WeakModel);
        var strong = new SortedSet<string>((options.StrongTierModels ?? [strongModel]).Select(ModelAliases.Default.Canonical), StringComparer.Ordinal);
        var weak = new SortedSet<string>((options.WeakTierModels ?? [weakModel]).Select(ModelAliases.Default.Canonical), StringComparer.Ordinal);
        if (!strong.Contains(strongModel) || !weak.Contains(weakModel))
        {
            throw new ArgumentException(
                $"StrongTierModels must contain StrongModel ('{strongModel}') and WeakTierModels must contain WeakModel ('{weakModel}').");
        }

        var shared = strong.Intersect(weak, StringComparer.Ordinal).ToList();
        return shared.Count == 0
            ? (strong, weak)
            : throw new ArgumentException($"Models in both tiers: {string.Join(", ", shared)}.");
    }

    private (List<LabelledPrompt> Training, List<LabelledPrompt> Validation) SplitByPrompt(IReadOnlyList<LabelledPrompt> prompts)
    {
        var shuffled = prompts.ToArray();
        new Random(TrainerOptions.Seed).Shuffle(shuffled);
        var held = Math.Clamp((int)Math.Round(TrainerOptions.ValidationFraction * shuffled.Length), 1, shuffled.Length - 1);
        return ([.. shuffled[held..]], [.. shuffled[..held]]);
    }

    private static (BertEncoderShape Shape, string Digest, Dictionary<string, TensorData> Weights) ReadMiniLM()
    {
        var model = MiniLmResources.ReadModel();
        return (BertEncoderShape.MiniLM, MiniLmResources.Digest(model), MiniLmWeights.Read(model));
    }
}
