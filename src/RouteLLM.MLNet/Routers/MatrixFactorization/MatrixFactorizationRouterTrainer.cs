using System.Diagnostics;
using Microsoft.ML;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// Trains RouteLLM's matrix-factorization router: δ(m, q) = w2·(P[m]/‖P[m]‖ ⊙ W·e_q) and
/// P(a beats b | q) = σ(δ(a, q) − δ(b, q)), fitted on decisive battles (ties dropped) with noisy prompt embeddings,
/// Adam and a weighted BCE; the epoch is chosen on held-out prompts. Per-prompt scores of single models add pointwise
/// terms BCE(σ(δ(m, q)), score), so that a router trained on scores predicts P(correct | m, q).
/// </summary>
public sealed partial class MatrixFactorizationRouterTrainer : RouterTrainerBase<MatrixFactorizationRouterModel, MatrixFactorizationRouterTrainer.Options>
{
    internal const string KindName = "mf";

    internal MatrixFactorizationRouterTrainer(MLContext context, Options options)
        : base(context, Validate(options))
    {
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override bool ReadsEmbeddings => true;

    /// <inheritdoc/>
    protected override MatrixFactorizationRouterModel TrainCore(TrainingSet trainingSet)
    {
        var stopwatch = Stopwatch.StartNew();
        var manifest = CreateManifest(trainingSet, new Dictionary<string, double>());
        var (examples, dropped) = DecisiveExamples(trainingSet);
        var isValidation = ValidationPrompts(examples, trainingSet.Prompts.Count);
        var training = examples.Where(e => !isValidation[e.Prompt]).ToArray();
        var validation = examples.Where(e => isValidation[e.Prompt]).ToArray();
        var frozen = FrozenFromExtended(trainingSet);
        var run = MatrixFactorizationTraining.Run(
            TrainerOptions, trainingSet.Models.Count, trainingSet.Dimension, trainingSet.Embeddings, training, validation, frozen);

        var metrics = new Dictionary<string, double>
        {
            ["battles"] = trainingSet.Battles.Count,
            ["ties_dropped"] = dropped.Ties,
            ["self_battles_dropped"] = dropped.SelfBattles,
            ["zero_weight_dropped"] = dropped.ZeroWeight,
            ["battles_used"] = training.Count(e => e.Loser != MatrixFactorizationExample.Pointwise),
            ["scores_used"] = training.Count(e => e.Loser == MatrixFactorizationExample.Pointwise),
            ["validation_battles"] = validation.Length,
            ["train_prompts"] = training.Select(e => e.Prompt).Distinct().Count(),
            ["validation_prompts"] = validation.Select(e => e.Prompt).Distinct().Count(),
            ["best_epoch"] = run.BestEpoch,
            ["epochs_run"] = run.EpochsRun,
            ["train_loss"] = run.TrainLoss,
            ["seconds"] = stopwatch.Elapsed.TotalSeconds,
        };
        if (frozen is not null)
        {
            metrics["frozen_parameters"] = frozen.Count;
        }

        if (validation.Length > 0)
        {
            metrics["validation_loss"] = run.ValidationLoss;
        }

        return new MatrixFactorizationRouterModel(
            manifest with { TrainingMetrics = metrics }, TrainingPromptsWithExtended(trainingSet),
            run.Parameters.ModelVectors.ToArray(), run.Parameters.Projection.ToArray(), run.Parameters.Classifier.ToArray(),
            new MultiModelQualities(Pointwise: trainingSet.Scores.Count > 0, PromptCostModel.Fit(trainingSet)),
            trainingSet.Scores.Count > 0 ? run.Parameters.ModelBiases.ToArray() : null);
    }

    private static (MatrixFactorizationExample[] Examples, (int Ties, int SelfBattles, int ZeroWeight) Dropped) DecisiveExamples(TrainingSet trainingSet)
    {
        var examples = new List<MatrixFactorizationExample>(trainingSet.Battles.Count);
        int ties = 0, selfBattles = 0, zeroWeight = 0;
        foreach (var battle in trainingSet.Battles)
        {
            if (battle.IsTie)
            {
                ties++;
            }
            else if (battle.ModelA == battle.ModelB)
            {
                selfBattles++;
            }
            else if (battle.Weight == 0)
            {
                zeroWeight++;
            }
            else
            {
                var aWon = battle.Label == 1f;
                examples.Add(new(battle.Prompt, aWon ? battle.ModelA : battle.ModelB, aWon ? battle.ModelB : battle.ModelA, battle.Weight));
            }
        }

        foreach (var score in trainingSet.Scores)
        {
            examples.Add(new(score.Prompt, score.Model, MatrixFactorizationExample.Pointwise, Weight: 1, score.Score));
        }

        return examples.Count > 0
            ? ([.. examples], (ties, selfBattles, zeroWeight))
            : throw new ArgumentException(
                $"The training data has no score and no decisive battle with a positive weight ({ties} ties, {selfBattles} self-battles, {zeroWeight} of weight 0).");
    }

    // Whole prompts go to validation, so that the epoch is chosen on prompts the router has not seen.
    private bool[] ValidationPrompts(MatrixFactorizationExample[] examples, int promptCount)
    {
        var isValidation = new bool[promptCount];
        if (TrainerOptions.ValidationFraction == 0)
        {
            return isValidation;
        }

        var prompts = examples.Select(e => e.Prompt).Distinct().Order().ToArray();
        var count = Math.Max(1, (int)Math.Round(TrainerOptions.ValidationFraction * prompts.Length));
        if (count >= prompts.Length)
        {
            throw new ArgumentException(
                $"ValidationFraction {TrainerOptions.ValidationFraction} leaves no training prompt: the decisive battles have only {prompts.Length} distinct prompts.");
        }

        new SeededRandom(MatrixFactorizationTraining.StreamSeed(TrainerOptions.Seed, 0)).Shuffle(prompts.AsSpan());
        foreach (var prompt in prompts.AsSpan(0, count))
        {
            isValidation[prompt] = true;
        }

        return isValidation;
    }

    private static Options Validate(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options.Dimension >= 1, nameof(Options.Dimension), options.Dimension, "at least 1");
        Check(float.IsFinite(options.LearningRate) && options.LearningRate > 0, nameof(Options.LearningRate), options.LearningRate, "a positive number");
        Check(float.IsFinite(options.WeightDecay) && options.WeightDecay >= 0, nameof(Options.WeightDecay), options.WeightDecay, "a number ≥ 0");
        Check(float.IsFinite(options.NoiseStandardDeviation) && options.NoiseStandardDeviation >= 0,
            nameof(Options.NoiseStandardDeviation), options.NoiseStandardDeviation, "a number ≥ 0");
        Check(options.BatchSize >= 1, nameof(Options.BatchSize), options.BatchSize, "at least 1");
        Check(options.MaxEpochs >= 1, nameof(Options.MaxEpochs), options.MaxEpochs, "at least 1");
        Check(options.ValidationFraction is >= 0 and < 1, nameof(Options.ValidationFraction), options.ValidationFraction, "in [0, 1)");
        Check(options.EarlyStoppingPatience >= 1, nameof(Options.EarlyStoppingPatience), options.EarlyStoppingPatience, "at least 1");
        if (options.Embedder is null)
        {
            throw new ArgumentException(
                $"{nameof(MatrixFactorizationRouterTrainer)}: Options.Embedder must name the embedder that produced column '{options.EmbeddingColumnName}'.",
                nameof(options));
        }

        return options;
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{nameof(MatrixFactorizationRouterTrainer)}: Options.{name} must be {expected}, not {value}.");
        }
    }
}
