using Microsoft.ML;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.MLNet.Tests.Routers.MatrixFactorization;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.ModelSelection;

public sealed class SelectionCandidatesTests
{
    private static readonly SyntheticBattles Battles = SyntheticBattles.Create(promptCount: 60, battleCount: 900, models: 4, strongBias: 3, seed: 41);
    private static readonly SyntheticBattles Gold = SyntheticBattles.Create(promptCount: 200, battleCount: 200, tieRate: 0.3, strongBias: 3, seed: 42);
    private static readonly PromptEmbeddingTable Embeddings = new(
        Battles.Embeddings.Embedder,
        Battles.Prompts.Concat(Gold.Prompts).ToDictionary(p => p, p => (Battles.Prompts.Contains(p) ? Battles.Embeddings : Gold.Embeddings)[p].ToArray()));

    private static readonly string[] DataNames =
    [
        "battles", "gold", "battles + gold×10", "battles + gold×100", "battles + gold×1000",
        "strong/weak-tier battles", "strong/weak-tier battles + gold×10",
    ];

    [Fact]
    public void Every_matrix_factorization_candidate_trains_and_is_scored_on_both_pools()
    {
        var context = new MLContext(seed: 1);
        var candidates = SelectionCandidates.MatrixFactorization(context, () => MatrixFactorizationTestData.Options());

        var selection = Select(context, candidates);

        Assert.Equal([.. DataNames, "gold (patience 50, ≤1000 epochs)"], selection.Candidates.Select(c => c.Name));
    }

    [Fact]
    public void Every_similarity_weighted_candidate_trains_with_no_more_tiers_than_its_battles_rate()
    {
        // Three tiers suit the four models of the battles; gold alone rates two models, and the strong/weak-tier
        // battles the models of two tiers, so those candidates use two.
        var context = new MLContext(seed: 1);
        var candidates = SelectionCandidates.SimilarityWeighted(context, () => new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = Embeddings.Embedder,
            StrongModel = SyntheticBattles.Strong,
            WeakModel = SyntheticBattles.Weak,
            Tiers = 3,
            MinPromptLength = 0,
        });

        var selection = Select(context, candidates);

        Assert.Equal(
            ["battles", "gold (2 tiers)", "battles + gold×10", "battles + gold×100", "battles + gold×1000",
             "strong/weak-tier battles (2 tiers)", "strong/weak-tier battles + gold×10 (2 tiers)", "battles + gold×10 (similarity base 100)", "battles + gold×10 (similarity base 1000)"],
            selection.Candidates.Select(c => c.Name));
    }

    private static GoldAugmentationSelection Select<TModel>(MLContext context, IReadOnlyList<SelectionCandidate<TModel>> candidates)
        where TModel : RouterModel
    {
        var selection = new GoldAugmentationSelector(context, new GoldAugmentationSelector.Options { Folds = 2 })
            .Select(candidates, Embeddings, Battles.Battles, Gold.Battles);
        Assert.All(selection.Candidates, c => Assert.All(c.Folds, f =>
        {
            Assert.True(double.IsFinite(f.Gold.Apgr));
            Assert.True(double.IsFinite(f.Battles!.Apgr));
        }));
        return selection;
    }
}
