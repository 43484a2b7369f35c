using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Policies;

public sealed class PolicyTests
{
    // One prompt, three models: best and dearest, middle, cheapest and worst.
    private static readonly PricedPredictions ThreeModels = PricedPredictions.Create(
        new ModelPredictions(["best", "middle", "cheap"], 1, [0.9f, 0.7f, 0.5f], [10, 2, 1]), ["a prompt"]);

    [Theory]
    [InlineData(0.0, "best", new[] { "best", "middle", "cheap" })]
    [InlineData(0.05, "middle", new[] { "middle", "cheap", "best" })] // keys 0.4, 0.6, 0.45
    [InlineData(1.0, "cheap", new[] { "cheap", "middle", "best" })] // keys -9.1, -1.3, -0.5
    [InlineData(double.PositiveInfinity, "cheap", new[] { "cheap", "middle", "best" })]
    public void Willingness_to_pay_takes_the_highest_quality_minus_lambda_times_cost(double lambda, string chosen, string[] ranking)
    {
        var decision = new WillingnessToPayPolicy(lambda).Decide(ThreeModels, 0);

        Assert.Equal(chosen, decision.Model);
        Assert.Equal(ranking, decision.Ranking);
        Assert.Equal(10, decision.MostExpensiveCostUsd);
    }

    [Theory]
    [InlineData(0.0, "best")]
    [InlineData(0.25, "middle")] // floor 0.65: best and middle, middle is cheaper
    [InlineData(0.45, "cheap")] // floor 0.45: all three
    public void Quality_floor_takes_the_cheapest_model_within_the_tolerance_of_the_best(double tolerance, string chosen)
    {
        var decision = new QualityFloorPolicy(tolerance).Decide(ThreeModels, 0);

        Assert.Equal(chosen, decision.Model);
        Assert.Equal(ThreeModels.QualityRow(0)[ThreeModels.IndexOf(chosen)], decision.PredictedQuality);
        Assert.Equal(ThreeModels.CostRow(0)[ThreeModels.IndexOf(chosen)], decision.EstimatedCostUsd);
    }

    [Fact]
    public void A_subset_restricts_the_choice_and_the_floor_is_taken_over_the_subset()
    {
        var allowed = ThreeModels.Allow(["best", "cheap"]);

        Assert.Equal("cheap", new WillingnessToPayPolicy(0.05).Decide(ThreeModels, 0, allowed).Model); // keys 0.4 vs 0.45
        Assert.Equal(["cheap", "best"], new WillingnessToPayPolicy(0.05).Decide(ThreeModels, 0, allowed).Ranking);
        // Floor 0.2 below the best allowed: over all three that is 0.7 (middle); over middle and cheap it is 0.5 (cheap).
        Assert.Equal("middle", new QualityFloorPolicy(0.2).Decide(ThreeModels, 0).Model);
        Assert.Equal("cheap", new QualityFloorPolicy(0.2).Decide(ThreeModels, 0, ThreeModels.Allow(["middle", "cheap"])).Model);
    }

    [Fact]
    public void An_unknown_model_in_the_subset_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => ThreeModels.Allow(["middle", "gpt-5"]));

        Assert.Contains("'gpt-5'", error.Message);
        Assert.Contains("best, middle, cheap", error.Message);
    }

    [Fact]
    public void Costs_come_from_the_catalogue_when_the_router_learned_none_and_unseen_models_are_reported()
    {
        var catalogue = ModelCatalogue.Create(
        [
            new CatalogueModel { Model = "gpt-4-1106-preview", InputUsdPerMTok = 10, OutputUsdPerMTok = 30, AvgOutputChars = 400 },
            new CatalogueModel { Model = "mixtral-8x7b-instruct-v0.1", Aliases = ["mistralai/Mixtral-8x7B-Instruct-v0.1"], InputUsdPerMTok = 0.6, OutputUsdPerMTok = 0.6, AvgOutputChars = 800 },
            new CatalogueModel { Model = "claude-2", InputUsdPerMTok = 8, OutputUsdPerMTok = 24, AvgOutputChars = 1000 },
        ]);
        var predictions = new ModelPredictions(["gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1", "vicuna-7b"], 1, [0.8f, 0.6f, 0.1f]);

        var priced = PricedPredictions.Create(predictions, ["hello world"], catalogue);

        Assert.Equal(["gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1"], priced.Models);
        Assert.Equal([0.8f, 0.6f], priced.QualityRow(0).ToArray());
        // "hello world" is 2 tokens; answers are 100 and 200 tokens.
        Assert.Equal([(2 * 10 + 100 * 30) / 1e6, (2 * 0.6 + 200 * 0.6) / 1e6], priced.CostRow(0).ToArray());
        Assert.Equal(2, priced.Warnings.Count);
        Assert.Contains(priced.Warnings, w => w.Contains("'vicuna-7b' is not in the catalogue"));
        Assert.Contains(priced.Warnings, w => w.Contains("'claude-2' was never seen by the router"));
        Assert.Equal(1, priced.IndexOf("mistralai/Mixtral-8x7B-Instruct-v0.1"));
    }

    [Fact]
    public void A_router_without_costs_needs_a_catalogue()
    {
        var predictions = new ModelPredictions(["a", "b"], 1, [0.8f, 0.6f]);

        Assert.Throws<ArgumentException>(() => PricedPredictions.Create(predictions, ["p"]));
    }

    [Fact]
    public void Budget_becomes_the_smallest_lambda_whose_mean_cost_meets_it()
    {
        // Four prompts; the dear model costs 1.0, the cheap one 0.1; their quality gaps differ by prompt, so raising λ
        // moves prompts to the cheap model one at a time (at λ = gap / 0.9).
        var gaps = new[] { 0.09f, 0.27f, 0.45f, 0.72f };
        var quality = gaps.SelectMany(g => new[] { 0.2f + g, 0.2f }).ToArray();
        var cost = gaps.SelectMany(_ => (double[])[1.0, 0.1]).ToArray();
        var priced = PricedPredictions.Create(new ModelPredictions(["dear", "cheap"], 4, quality, cost), ["p1", "p2", "p3", "p4"]);

        var policy = BudgetCalibrator.ForMeanCost(priced, targetMeanCostUsd: 0.55); // two prompts on each: (2 × 1 + 2 × 0.1) / 4

        Assert.Equal(0.55, BudgetCalibrator.MeanCost(priced, policy.Lambda), 12);
        Assert.Equal(0.3, policy.Lambda, 6); // the second prompt's gap 0.27 / 0.9: from here on it goes cheap
        Assert.True(BudgetCalibrator.MeanCost(priced, policy.Lambda * 0.999) > 0.55);
        Assert.Equal(0, BudgetCalibrator.ForMeanCost(priced, 1.0).Lambda);
        Assert.Equal(double.PositiveInfinity, BudgetCalibrator.ForMeanCost(priced, 0.05).Lambda);
    }

    [Theory]
    [InlineData(0.5f, 0.5f, true)]
    [InlineData(0.49999f, 0.5f, false)]
    public void The_strong_weak_rule_is_at_or_above_the_threshold(float rate, float threshold, bool strong)
    {
        var manifest = new RouterManifest { Kind = "k", Assembly = "a", StrongModel = "s", WeakModel = "w", Models = ["s", "w"] };

        var decision = StrongWeakPolicy.Decide(manifest, rate, threshold);

        Assert.Equal((strong ? "s" : "w", strong), (decision.Model, decision.RoutesToStrong));
        Assert.Equal(0.5, StrongWeakPolicy.StrongShare([0.1f, 0.5f, 0.7f, 0.49f], 0.5f));
    }
}
