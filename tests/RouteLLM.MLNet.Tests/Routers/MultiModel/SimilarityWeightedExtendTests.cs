using Microsoft.ML;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class SimilarityWeightedExtendTests
{
    private static PlantedScores Data => MultiModelTrainingTests.Data;

    [Fact]
    public void Extending_keeps_every_known_tier_and_the_pair_bit_for_bit_and_puts_the_new_model_in_the_tier_of_its_planted_equal()
    {
        // Averaged over prompts, "neg" (slope −2) is as good as "pos" (slope +2), better than "mild" and "bad" and worse
        // than "flat": with one model per tier, the only right place for it is "pos"'s tier.
        var known = Train(Battles(["pos", "flat", "mild", "bad"]), tiers: 4);

        var extended = Train(Battles(PlantedScores.Models), extend: known);

        Assert.Equal(PlantedScores.Models.Order(StringComparer.Ordinal), extended.Manifest.Models);
        foreach (var (model, tier) in known.ModelTiers)
        {
            Assert.Equal(tier, extended.ModelTiers[model]);
        }

        Assert.Equal(known.ModelTiers["pos"], extended.ModelTiers["neg"]);
        Assert.Equal(known.ModelTiers["pos"], extended.Manifest.TrainingMetrics["added.neg.tier"]);
        Assert.Equal(1, extended.Manifest.TrainingMetrics["models_added"]);
        Assert.Equal("4", extended.Manifest.TrainingOptions["Tiers"]);
        var (prompts, embeddings, _) = Data.HeldOut(50, seed: 8);
        Assert.Equal(MatrixFactorizationExtendTests.WinRates(known, prompts, embeddings), MatrixFactorizationExtendTests.WinRates(extended, prompts, embeddings));
        Assert.Equal(known.TierRatings(embeddings.AsSpan(0, 8)), extended.TierRatings(embeddings.AsSpan(0, 8)));

        var qualities = extended.PredictQualities(prompts[..1], embeddings.AsSpan(0, 8));
        var models = extended.Manifest.Models.ToList();
        Assert.Equal(qualities.QualityRow(0)[models.IndexOf("pos")], qualities.QualityRow(0)[models.IndexOf("neg")]);
        var loaded = RouterZipRoundTrip.AssertSameBytes(extended);
        Assert.Equal(MatrixFactorizationExtendTests.WinRates(extended, prompts, embeddings), MatrixFactorizationExtendTests.WinRates(loaded, prompts, embeddings));
    }

    [Fact]
    public void A_weak_new_model_joins_the_lowest_tier()
    {
        var known = Train(Battles(["pos", "flat", "mild"]), tiers: 3, weak: "mild");

        var extended = Train(Battles(["pos", "flat", "mild", "bad"]), extend: known, weak: "mild");

        Assert.Equal(known.ModelTiers["mild"], extended.ModelTiers["bad"]);
    }

    [Fact]
    public void New_models_that_meet_no_known_model_are_named()
    {
        var known = Train(Battles(["pos", "bad"]), tiers: 2);

        var error = Assert.Throws<ArgumentException>(() => Train(Battles(["neg", "flat"]), extend: known));

        Assert.Contains("'flat', 'neg'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_router_that_kept_per_prompt_scores_is_refused()
    {
        var scored = MultiModelTrainingTests.TrainSimilarityWeighted(TrainingSet.FromScores(Data.Scores, Data.Embeddings));

        var error = Assert.Throws<ArgumentException>(() => Train(Battles(PlantedScores.Models), extend: scored));

        Assert.Contains("per-prompt scores", error.Message, StringComparison.Ordinal);
    }

    private static TrainingSet Battles(string[] models) =>
        TrainingSet.FromScores(MatrixFactorizationExtendTests.ScoresOf(models), Data.Embeddings).ScoresAsBattles();

    private static SimilarityWeightedRouterModel Train(TrainingSet trainingSet, int tiers = 1, SimilarityWeightedRouterModel? extend = null, string weak = "bad") =>
        new MLContext(seed: 1).Routing().Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = PlantedScores.Embedder,
            StrongModel = "pos",
            WeakModel = weak,
            Tiers = tiers,
            MinPromptLength = 0,
            Extend = extend,
        }).Train(trainingSet);
}
