using System.Runtime.ExceptionServices;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers.MatrixFactorization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// Chooses how to combine preference battles with gold-label battles (strong vs weak on prompts with known
/// correctness) by K-fold cross-validation over gold prompts: for each candidate and fold, a router is trained on the
/// battles and the other folds' gold, then ranks the held-out gold prompts, scored by held-out APGR. Prompts are
/// grouped: a held-out prompt is never trained on, through gold or through the battles. Works with any router
/// trainer, so every router can choose its training data the same way.
/// </summary>
public sealed partial class GoldAugmentationSelector
{
    /// <summary>The column both training-data loaders write each battle's sample weight to; trainers must read it.</summary>
    public const string WeightColumnName = "Weight";

    private readonly MLContext _context;
    private readonly Options _options;

    /// <summary>Creates a selector.</summary>
    /// <param name="context">The ML.NET context used to load training data.</param>
    /// <param name="options">Folds, seed and candidates; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GoldAugmentationSelector(MLContext context, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new Options();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2, "Options.Folds");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, "Options.MaxDegreeOfParallelism");
        ArgumentNullException.ThrowIfNull(options.Candidates, "Options.Candidates");
        if (options.Candidates.Count == 0)
        {
            throw new ArgumentException("Options.Candidates is empty.", nameof(options));
        }

        foreach (var candidate in options.Candidates)
        {
            if (candidate is null || !float.IsFinite(candidate.GoldWeight) || candidate.GoldWeight < 0 || candidate.GoldWeight == 0 && !candidate.IncludeBattles)
            {
                throw new ArgumentException($"Candidate '{candidate}' trains on nothing or has a gold weight that is not finite and ≥ 0.", nameof(options));
            }
        }

        _context = context;
        _options = options;
    }

    /// <summary>Cross-validates every candidate and returns the one with the best mean held-out APGR.</summary>
    /// <typeparam name="TModel">The router the trainer produces.</typeparam>
    /// <param name="trainer">The router trainer; it must read sample weights from <see cref="WeightColumnName"/>.</param>
    /// <param name="embeddings">Embeddings of every battle and gold prompt, for routers that read embeddings; null otherwise.</param>
    /// <param name="battles">Preference battles (e.g. Chatbot Arena's).</param>
    /// <param name="gold">Gold battles between the router's strong and weak models (ties included: they count in APGR).</param>
    /// <param name="progress">Receives the share of trainings done, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops starting new trainings.</param>
    /// <exception cref="ArgumentException">The gold set is too small for the folds, or the data do not fit the trainer.</exception>
    public GoldAugmentationSelection Select<TModel>(
        IEstimator<RouterTransformer<TModel>> trainer, PromptEmbeddingTable? embeddings, IReadOnlyList<Battle> battles, IReadOnlyList<Battle> gold,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TModel : RouterModel
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentNullException.ThrowIfNull(gold);
        var foldOf = AssignFolds(gold.Select(b => b.Prompt), _options.Folds, _options.Seed);
        var candidates = _options.Candidates;
        var scores = new FoldScore[candidates.Count, _options.Folds];
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, candidates.Count * _options.Folds, parallel, task =>
            {
                var (candidate, fold) = (candidates[task / _options.Folds], task % _options.Folds);
                var heldOut = gold.Where(b => foldOf[b.Prompt] == fold).ToList();
                var heldOutPrompts = heldOut.Select(b => b.Prompt).ToHashSet(StringComparer.Ordinal);
                var model = Train(trainer, embeddings, TrainingBattles(battles, gold, candidate, heldOutPrompts));
                scores[task / _options.Folds, fold] = Score(model, embeddings, heldOut, fold);
                progress?.Report(Interlocked.Increment(ref done) / (double)scores.Length);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var results = candidates.Select((c, i) => new CandidateScore(c, [.. Enumerable.Range(0, _options.Folds).Select(f => scores[i, f])])).ToList();
        var best = results.MaxBy(r => r.MeanApgr)!;
        return new GoldAugmentationSelection(best.Candidate, results);
    }

    /// <summary>
    /// Trains the final router on all battles and all gold, as <paramref name="selection"/> chose, and records the
    /// selection's scores in its manifest's training metrics.
    /// </summary>
    /// <typeparam name="TModel">The router the trainer produces.</typeparam>
    /// <param name="trainer">The router trainer used for the selection.</param>
    /// <param name="embeddings">Embeddings of every prompt, for routers that read embeddings; null otherwise.</param>
    /// <param name="battles">Preference battles.</param>
    /// <param name="gold">Gold battles.</param>
    /// <param name="selection">The result of <see cref="Select"/>.</param>
    public RouterModel Fit<TModel>(
        IEstimator<RouterTransformer<TModel>> trainer, PromptEmbeddingTable? embeddings, IReadOnlyList<Battle> battles, IReadOnlyList<Battle> gold,
        GoldAugmentationSelection selection)
        where TModel : RouterModel
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(selection);
        return Train(trainer, embeddings, TrainingBattles(battles, gold, selection.Best, heldOutPrompts: null))
            .WithTrainingMetrics(selection.ToMetrics());
    }

    /// <summary>Assigns each distinct prompt to one of <paramref name="folds"/> folds of near-equal size, seeded.</summary>
    internal static Dictionary<string, int> AssignFolds(IEnumerable<string> prompts, int folds, int seed)
    {
        var distinct = prompts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length < folds)
        {
            throw new ArgumentException($"{distinct.Length} distinct gold prompts cannot fill {folds} folds.");
        }

        new SeededRandom(MatrixFactorizationTraining.StreamSeed(seed, 0)).Shuffle(distinct.AsSpan());
        return distinct.Select((prompt, i) => (prompt, i)).ToDictionary(p => p.prompt, p => p.i % folds, StringComparer.Ordinal);
    }

    private static List<Battle> TrainingBattles(
        IReadOnlyList<Battle> battles, IReadOnlyList<Battle> gold, AugmentationCandidate candidate, HashSet<string>? heldOutPrompts)
    {
        bool Kept(Battle b) => heldOutPrompts is null || !heldOutPrompts.Contains(b.Prompt);
        var training = new List<Battle>();
        if (candidate.IncludeBattles)
        {
            training.AddRange(battles.Where(Kept));
        }

        if (candidate.GoldWeight > 0)
        {
            training.AddRange(gold.Where(Kept).Select(b => b with { Weight = b.Weight * candidate.GoldWeight }));
        }

        return training;
    }

    private RouterModel Train<TModel>(IEstimator<RouterTransformer<TModel>> trainer, PromptEmbeddingTable? embeddings, List<Battle> battles)
        where TModel : RouterModel
    {
        var data = embeddings is null ? _context.Routing().LoadBattles(battles) : embeddings.LoadBattles(_context, battles);
        var model = trainer.Fit(data).Model;
        if (!model.Manifest.TrainingOptions.TryGetValue(nameof(RouterTrainerOptions.ExampleWeightColumnName), out var weightColumn)
            || weightColumn != WeightColumnName)
        {
            throw new ArgumentException(
                $"The trainer must read sample weights from column '{WeightColumnName}' (set Options.{nameof(RouterTrainerOptions.ExampleWeightColumnName)}), or gold weights would be ignored.");
        }

        if (model.Manifest.Embedder is { } embedder && embeddings?.Embedder != embedder)
        {
            throw new ArgumentException(
                $"The router reads embeddings from '{embedder.Id}' ({embedder.Dimension}), but the embedding table is from '{embeddings?.Embedder.Id ?? "nothing"}'.");
        }

        return model;
    }

    private static FoldScore Score(RouterModel model, PromptEmbeddingTable? embeddings, List<Battle> heldOut, int fold)
    {
        var strong = model.Manifest.StrongModel;
        var weak = model.Manifest.WeakModel;
        var gains = heldOut.Select(b => Gain(b, strong, weak)).ToArray();
        var prompts = heldOut.Select(b => b.Prompt).ToList();
        var scores = new float[prompts.Count];
        model.CalculateStrongWinRates(prompts, model.Manifest.Embedder is null ? [] : embeddings!.Gather(prompts), scores);
        var apgr = gains.Sum() > 0
            ? HeldOutRoutingMetrics.Apgr(scores, gains)
            : throw new ArgumentException($"Held-out gold fold {fold} has no strong-minus-weak gap ({heldOut.Count} battles); use fewer folds or more gold.");
        return new FoldScore(fold, heldOut.Count, apgr, HeldOutRoutingMetrics.Auc(scores, gains), HeldOutRoutingMetrics.LogLoss(scores, gains));
    }

    private static double Gain(Battle battle, string strong, string weak)
    {
        var a = ModelAliases.Default.Canonical(battle.ModelA);
        var b = ModelAliases.Default.Canonical(battle.ModelB);
        if (!(a == strong && b == weak || a == weak && b == strong))
        {
            throw new ArgumentException($"Gold battle on '{battle.Prompt[..Math.Min(40, battle.Prompt.Length)]}' is between '{a}' and '{b}', not the router's pair '{strong}' / '{weak}'.");
        }

        return battle.Outcome switch
        {
            BattleOutcome.Tie => 0,
            BattleOutcome.ModelAWins => a == strong ? 1 : -1,
            _ => b == strong ? 1 : -1,
        };
    }
}
