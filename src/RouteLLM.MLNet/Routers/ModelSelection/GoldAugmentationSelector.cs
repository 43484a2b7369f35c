using System.Runtime.ExceptionServices;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Ranking;
using RouteLLM.MLNet.Routers.MatrixFactorization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// Chooses how to combine preference battles with gold-label battles (strong vs weak on prompts with known
/// correctness), and with which trainer settings, by K-fold cross-validation grouped by prompt. Two kinds of traffic are
/// held out together in each fold: gold prompts (e.g. MMLU questions), and the prompts of preference battles between
/// the routed strong and weak models (open-ended instructions). Each candidate is trained without the held-out prompts
/// (no gold row and no battle of any model on them), ranks both pools, and is scored by the mean of the two held-out
/// APGRs. Works with any router trainer, so every router chooses its training data the same way.
/// </summary>
public sealed partial class GoldAugmentationSelector
{
    private readonly MLContext _context;
    private readonly Options _options;

    /// <summary>Creates a selector.</summary>
    /// <param name="context">The ML.NET context used to load training data.</param>
    /// <param name="options">Folds, seed and parallelism; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GoldAugmentationSelector(MLContext context, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new Options();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2, "Options.Folds");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tiers, 1, "Options.Tiers");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, "Options.MaxDegreeOfParallelism");
        _context = context;
        _options = options;
    }

    /// <summary>Cross-validates every candidate and returns all their scores, with the best mean criterion chosen.</summary>
    /// <typeparam name="TModel">The router the trainers produce.</typeparam>
    /// <param name="candidates">The candidates, e.g. from <see cref="SelectionCandidates"/>; names must differ.</param>
    /// <param name="embeddings">Embeddings of every battle and gold prompt, for routers that read embeddings; null otherwise.</param>
    /// <param name="battles">Preference battles (e.g. Chatbot Arena's).</param>
    /// <param name="gold">Gold battles, all between the same two models: the router's strong and weak models.</param>
    /// <param name="progress">Receives the share of trainings done, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops starting new trainings.</param>
    /// <exception cref="ArgumentException">
    /// A candidate is invalid, the gold set is too small for the folds or not between one pair of models, or the data do
    /// not fit a trainer.
    /// </exception>
    public GoldAugmentationSelection Select<TModel>(
        IReadOnlyList<SelectionCandidate<TModel>> candidates, PromptEmbeddingTable? embeddings, IReadOnlyList<Battle> battles,
        IReadOnlyList<Battle> gold, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TModel : RouterModel
    {
        CheckCandidates(candidates);
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentNullException.ThrowIfNull(gold);
        var pair = RoutedPair(gold);
        var pairBattles = battles.Where(b => IsBetween(b, pair)).ToList();
        var goldPrompts = gold.Select(b => b.Prompt).Distinct(StringComparer.Ordinal).ToList();
        if (goldPrompts.Count < _options.Folds)
        {
            throw new ArgumentException($"{goldPrompts.Count} distinct gold prompts cannot fill {_options.Folds} folds.", nameof(gold));
        }

        var foldOf = AssignFolds([goldPrompts, pairBattles.Select(b => b.Prompt)], _options.Folds, _options.Seed);
        var scoreBattles = pairBattles.Select(b => foldOf[b.Prompt]).Distinct().Count() == _options.Folds;
        var folds = _options.Folds;
        var scores = new FoldScore[candidates.Count, folds];
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, candidates.Count * folds, parallel, task =>
            {
                var (candidate, fold) = (candidates[task / folds], task % folds);
                var heldOut = foldOf.Where(p => p.Value == fold).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
                var model = Train(candidate.Trainer, embeddings, TrainingBattles(battles, gold, candidate.Data, heldOut, pair));
                var goldScore = ScorePool(model, embeddings, gold.Where(b => heldOut.Contains(b.Prompt)), $"gold fold {fold}");
                var battleScore = scoreBattles
                    ? ScorePool(model, embeddings, pairBattles.Where(b => heldOut.Contains(b.Prompt)), $"battle fold {fold}")
                    : null;
                scores[task / folds, fold] = new FoldScore(fold, goldScore, battleScore);
                progress?.Report(Interlocked.Increment(ref done) / (double)scores.Length);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var results = candidates
            .Select((c, i) => new CandidateScore(c.Name, c.Data, [.. Enumerable.Range(0, folds).Select(f => scores[i, f])]))
            .ToList();
        var best = Enumerable.Range(0, results.Count).MaxBy(i => results[i].MeanCriterion);
        return new GoldAugmentationSelection(best, results);
    }

    /// <summary>
    /// Trains the chosen candidate on all battles and all gold, and records the selection's scores in the router's
    /// manifest (training metrics, and the candidates' names among its training options).
    /// </summary>
    /// <typeparam name="TModel">The router the trainers produce.</typeparam>
    /// <param name="candidates">The candidates given to <see cref="Select"/>.</param>
    /// <param name="embeddings">Embeddings of every prompt, for routers that read embeddings; null otherwise.</param>
    /// <param name="battles">Preference battles.</param>
    /// <param name="gold">Gold battles.</param>
    /// <param name="selection">The result of <see cref="Select"/> on these candidates.</param>
    /// <exception cref="ArgumentException">The selection was made over other candidates.</exception>
    public RouterModel Fit<TModel>(
        IReadOnlyList<SelectionCandidate<TModel>> candidates, PromptEmbeddingTable? embeddings, IReadOnlyList<Battle> battles,
        IReadOnlyList<Battle> gold, GoldAugmentationSelection selection)
        where TModel : RouterModel
    {
        CheckCandidates(candidates);
        ArgumentNullException.ThrowIfNull(battles);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(selection);
        if (!candidates.Select(c => c.Name).SequenceEqual(selection.Candidates.Select(c => c.Name)))
        {
            throw new ArgumentException("The selection was made over other candidates than those given.", nameof(selection));
        }

        var chosen = candidates[selection.BestIndex];
        var training = TrainingBattles(battles, gold, chosen.Data, heldOut: new HashSet<string>(), RoutedPair(gold));
        return Train(chosen.Trainer, embeddings, training)
            .WithTrainingMetrics(selection.ToMetrics())
            .WithTrainingOptions(selection.ToDescriptions());
    }

    /// <summary>
    /// Assigns each distinct prompt of the pools to one of <paramref name="folds"/> folds, seeded: each pool's prompts
    /// not already assigned by an earlier pool are shuffled and dealt in turn, so that every pool spreads evenly.
    /// </summary>
    internal static Dictionary<string, int> AssignFolds(IReadOnlyList<IEnumerable<string>> pools, int folds, int seed)
    {
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var pool = 0; pool < pools.Count; pool++)
        {
            var prompts = pools[pool].Where(p => !foldOf.ContainsKey(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            new SeededRandom(MatrixFactorizationTraining.StreamSeed(seed, (ulong)pool)).Shuffle(prompts.AsSpan());
            for (var i = 0; i < prompts.Length; i++)
            {
                foldOf.Add(prompts[i], i % folds);
            }
        }

        return foldOf;
    }

    /// <summary>
    /// The training battles of a candidate: no battle and no gold row on a held-out prompt, the battles the candidate
    /// asks for, and gold with its weight multiplied.
    /// </summary>
    internal List<Battle> TrainingBattles(
        IReadOnlyList<Battle> battles, IReadOnlyList<Battle> gold, AugmentationCandidate data, IReadOnlySet<string> heldOut, (string, string) pair)
    {
        var kept = battles.Where(b => !heldOut.Contains(b.Prompt)).ToList();
        IEnumerable<Battle> training = data.Battles switch
        {
            BattleSubset.All => kept,
            BattleSubset.StrongWeakTiers => StrongWeakTierBattles(kept, pair),
            _ => [],
        };
        return GoldBattles.Augment(training, gold.Where(b => !heldOut.Contains(b.Prompt)), data.GoldWeight);
    }

    private IEnumerable<Battle> StrongWeakTierBattles(List<Battle> battles, (string First, string Second) pair)
    {
        var tiers = Tiers.OfPair(BradleyTerry.Fit(battles), _options.Tiers, pair.First, pair.Second);
        return battles.Where(b => tiers.Spans(b.ModelA, b.ModelB));
    }

    private static void CheckCandidates<TModel>(IReadOnlyList<SelectionCandidate<TModel>> candidates)
        where TModel : RouterModel
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("There is no candidate to select from.", nameof(candidates));
        }

        foreach (var candidate in candidates)
        {
            if (candidate?.Data is not { IsValid: true } || candidate.Trainer is null || candidate.Settings is null)
            {
                throw new ArgumentException(
                    $"Candidate '{candidate?.Name}' trains on nothing, has a gold weight that is not finite and ≥ 0, or has no trainer.", nameof(candidates));
            }
        }

        if (candidates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != candidates.Count)
        {
            throw new ArgumentException("Two candidates have the same name.", nameof(candidates));
        }
    }

    /// <summary>The two models every gold battle is between, canonical.</summary>
    private static (string, string) RoutedPair(IReadOnlyList<Battle> gold)
    {
        var models = gold.SelectMany(b => new[] { Canonical(b.ModelA), Canonical(b.ModelB) }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (models.Length != 2 || gold.Any(b => Canonical(b.ModelA) == Canonical(b.ModelB)))
        {
            throw new ArgumentException(
                $"Gold battles must all be between the router's strong and weak models; they name {models.Length} models: {string.Join(", ", models)}.", nameof(gold));
        }

        return (models[0], models[1]);
    }

    private static bool IsBetween(Battle battle, (string First, string Second) pair)
    {
        var (a, b) = (Canonical(battle.ModelA), Canonical(battle.ModelB));
        return a == pair.First && b == pair.Second || a == pair.Second && b == pair.First;
    }

    private static string Canonical(string model) => ModelAliases.Default.Canonical(model);

    private RouterModel Train<TModel>(IEstimator<RouterTransformer<TModel>> trainer, PromptEmbeddingTable? embeddings, List<Battle> battles)
        where TModel : RouterModel
    {
        var data = embeddings is null ? _context.Routing().LoadBattles(battles) : embeddings.LoadBattles(_context, battles);
        var model = trainer.Fit(data).Model;
        if (!model.Manifest.TrainingOptions.TryGetValue(nameof(RouterTrainerOptions.ExampleWeightColumnName), out var weightColumn)
            || weightColumn != BattleColumnNames.Weight)
        {
            throw new ArgumentException(
                $"The trainer must read sample weights from column '{BattleColumnNames.Weight}' (Options.{nameof(RouterTrainerOptions.ExampleWeightColumnName)}), or gold weights would be ignored.");
        }

        if (model.Manifest.Embedder is { } embedder && embeddings?.Embedder != embedder)
        {
            throw new ArgumentException(
                $"The router reads embeddings from '{embedder.Id}' ({embedder.Dimension}), but the embedding table is from '{embeddings?.Embedder.Id ?? "nothing"}'.");
        }

        return model;
    }

    /// <summary>
    /// Scores held-out battles between the router's strong and weak models, grouped by prompt: a prompt's gain is the
    /// mean over its battles of +1 (strong won), −1 (weak won) or 0 (tie), and each prompt is routed once.
    /// </summary>
    internal static PoolScore ScorePool(RouterModel model, PromptEmbeddingTable? embeddings, IEnumerable<Battle> heldOut, string pool)
    {
        var strong = model.Manifest.StrongModel;
        var weak = model.Manifest.WeakModel;
        var byPrompt = heldOut.GroupBy(b => b.Prompt, StringComparer.Ordinal).ToList();
        var prompts = byPrompt.Select(g => g.Key).ToList();
        var gains = byPrompt.Select(g => g.Average(b => Gain(b, strong, weak))).ToArray();
        var scores = new float[prompts.Count];
        model.CalculateStrongWinRates(prompts, model.Manifest.Embedder is null ? [] : embeddings!.Gather(prompts), scores);
        var apgr = gains.Sum() > 0
            ? HeldOutRoutingMetrics.ContinuousApgr(scores, gains)
            : throw new ArgumentException($"The held-out prompts of {pool} show no strong-minus-weak gap ({prompts.Count} prompts); use fewer folds or more data.");
        return new PoolScore(prompts.Count, apgr, HeldOutRoutingMetrics.Auc(scores, gains), HeldOutRoutingMetrics.LogLoss(scores, gains));
    }

    private static double Gain(Battle battle, string strong, string weak)
    {
        var a = Canonical(battle.ModelA);
        var b = Canonical(battle.ModelB);
        if (!(a == strong && b == weak || a == weak && b == strong))
        {
            throw new ArgumentException($"Held-out battle on '{battle.Prompt[..Math.Min(40, battle.Prompt.Length)]}' is between '{a}' and '{b}', not the router's pair '{strong}' / '{weak}'.");
        }

        return battle.Outcome switch
        {
            BattleOutcome.Tie => 0,
            BattleOutcome.ModelAWins => a == strong ? 1 : -1,
            _ => b == strong ? 1 : -1,
        };
    }
}
