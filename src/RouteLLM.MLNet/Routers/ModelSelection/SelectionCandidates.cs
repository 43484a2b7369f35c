using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>
/// The candidates each router kind cross-validates by default: the same small set of training data for every router
/// (battles alone, gold alone, battles with gold at three weights a decade apart, and the strong/weak-tier battles with
/// and without gold), plus the trainer settings a router needs or that matter for a few hundred gold rows.
/// docs/RESULTS.md shows their scores on the project's data.
/// </summary>
public static class SelectionCandidates
{
    /// <summary>Gold weights mixed with all battles: a decade apart, from a small nudge to gold outweighing the battles.</summary>
    public static IReadOnlyList<float> GoldWeights { get; } = [10f, 100f, 1000f];

    /// <summary>Similarity bases tried, beside RouteLLM's 10, by the similarity-weighted router (with battles + gold×10).</summary>
    public static IReadOnlyList<double> SimilarityBases { get; } = [100, 1000];

    /// <summary>The gold weight tried with the strong/weak-tier battles (a few thousand battles rather than a hundred thousand).</summary>
    public const float TierBattlesGoldWeight = 10f;

    /// <summary>
    /// Candidates for the matrix-factorization router: the shared data candidates with the given options, and gold
    /// alone trained until 50 epochs pass without a better validation loss (at most 1,000): with a few hundred decisive
    /// gold rows an epoch is five Adam steps, so the default patience of 10 epochs stops after 50 steps without progress
    /// on a validation set of a few dozen rows.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Returns new options (embedder, models, weight column, seed, ...) on every call.</param>
    public static IReadOnlyList<SelectionCandidate<MatrixFactorizationRouterModel>> MatrixFactorization(
        MLContext context, Func<MatrixFactorizationRouterTrainer.Options> options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        IEstimator<RouterTransformer<MatrixFactorizationRouterModel>> Trainer(Action<MatrixFactorizationRouterTrainer.Options>? change = null)
        {
            var chosen = options();
            change?.Invoke(chosen);
            return context.Routing().Trainers.MatrixFactorization(chosen);
        }

        return
        [
            .. DataCandidates().Select(data => new SelectionCandidate<MatrixFactorizationRouterModel>(data, Trainer())),
            new(AugmentationCandidate.GoldOnly, Trainer(o => (o.EarlyStoppingPatience, o.MaxEpochs) = (50, 1000)), "patience 50, ≤1000 epochs"),
        ];
    }

    /// <summary>
    /// Candidates for the similarity-weighted router: the shared data candidates, with 2 tiers wherever the battles
    /// rate only the strong and the weak model or models of their two tiers (10 tiers would be more than there are
    /// models to rate, or split the routed pair's neighbours), and the given options' tiers otherwise; and battles with
    /// gold×10 at similarity bases 100 and 1,000: RouteLLM's base 10 weighs the most similar prompt only ten times the
    /// least similar, while with two kinds of prompts in one table (gold questions and open-ended instructions) a
    /// query's own kind should outweigh the other.
    /// </summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="options">Returns new options (embedder, models, weight column, tiers, ...) on every call.</param>
    public static IReadOnlyList<SelectionCandidate<SimilarityWeightedRouterModel>> SimilarityWeighted(
        MLContext context, Func<SimilarityWeightedRouterTrainer.Options> options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        IEstimator<RouterTransformer<SimilarityWeightedRouterModel>> Trainer(Action<SimilarityWeightedRouterTrainer.Options> change)
        {
            var chosen = options();
            change(chosen);
            return context.Routing().Trainers.SimilarityWeighted(chosen);
        }

        return
        [
            .. DataCandidates().Select(data => data.Battles == BattleSubset.All
                ? new SelectionCandidate<SimilarityWeightedRouterModel>(data, Trainer(_ => { }))
                : new SelectionCandidate<SimilarityWeightedRouterModel>(data, Trainer(o => o.Tiers = 2), "2 tiers")),
            .. SimilarityBases.Select(b => new SelectionCandidate<SimilarityWeightedRouterModel>(
                new AugmentationCandidate(GoldWeights[0]), Trainer(o => o.SimilarityBase = b), string.Create(CultureInfo.InvariantCulture, $"similarity base {b}"))),
        ];
    }

    private static IEnumerable<AugmentationCandidate> DataCandidates() =>
    [
        AugmentationCandidate.BattlesOnly,
        AugmentationCandidate.GoldOnly,
        .. GoldWeights.Select(weight => new AugmentationCandidate(weight)),
        new(0f, BattleSubset.StrongWeakTiers),
        new(TierBattlesGoldWeight, BattleSubset.StrongWeakTiers),
    ];
}
