using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Policies;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class MultiModelEvaluatorTests
{
    // Two prompts; "cheap" costs 1 and solves only the first, "dear" costs 3 and solves both.
    private static readonly ModelScoreTable Truth = new(
        "tiny", ["easy", "hard"], ["cheap", "dear"], quality: [1, 1, 0, 1], costUsd: [1, 3, 1, 3], new SkippedRows());

    private static MultiModelEvaluation Evaluate(float[] predictedQuality) => MultiModelEvaluator.Evaluate(
        Truth,
        PricedPredictions.Create(new ModelPredictions(["cheap", "dear"], 2, predictedQuality, Truth.CostUsd), Truth.Prompts),
        leftOut: [],
        new MultiModelOptions { RouterName = "r", BootstrapResamples = 200 });

    [Fact]
    public void Single_models_zero_router_and_oracle_are_computed_by_hand()
    {
        var evaluation = Evaluate([1, 1, 0, 1]);

        Assert.Equal([new SingleModelPoint("cheap", 1, 0.5), new SingleModelPoint("dear", 3, 1)], evaluation.SingleModels);
        // Zero router: the line from (1, 0.5) to (3, 1), mean 0.75 over [1, 3].
        Assert.Equal(0.75, evaluation.ZeroRouterAiq, 12);
        // Oracle: the easy prompt always on cheap; hull (1, 0.5) → (2, 1), then flat: (0.75 + 1) / 2.
        Assert.Equal(0.875, evaluation.OracleAiq, 12);
        Assert.Equal([new CostQualityPoint(1, 0.5), new CostQualityPoint(2, 1)], evaluation.OracleHull);
    }

    [Fact]
    public void A_router_that_predicts_the_truth_is_the_oracle_and_matches_the_best_model_at_two_thirds_of_its_cost()
    {
        var evaluation = Evaluate([1, 1, 0, 1]);

        Assert.Equal(0.875, evaluation.Aiq, 12);
        Assert.Equal(1, evaluation.GapClosed!.Value, 12);
        Assert.Equal(1, evaluation.HighestQuality);
        Assert.Equal(2.0 / 3, evaluation.CostShareToMatchBest!.Value, 12);
        Assert.InRange(evaluation.Aiq, evaluation.Ci95.Aiq.Lower, evaluation.Ci95.Aiq.Upper);
        Assert.Contains(evaluation.Curve, p => p.Lambda == 0);
        Assert.Contains(evaluation.Curve, p => double.IsPositiveInfinity(p.Lambda!.Value));
    }

    [Fact]
    public void A_router_with_its_predictions_backwards_falls_below_the_zero_router()
    {
        // It sends the easy prompt to dear and the hard one to cheap: (2, 0.5) at best, (1, 0.5) when frugal.
        var evaluation = Evaluate([0, 1, 1, 0]);

        Assert.Equal([new CostQualityPoint(1, 0.5)], evaluation.Hull);
        Assert.Equal(0.5, evaluation.Aiq, 12);
        Assert.Equal(-2, evaluation.GapClosed!.Value, 12); // (0.5 − 0.75) / (0.875 − 0.75)
        Assert.Null(evaluation.CostShareToMatchBest);
    }

    [Fact]
    public void Misaligned_models_are_refused()
    {
        var predictions = PricedPredictions.Create(new ModelPredictions(["dear", "cheap"], 2, [1, 1, 1, 0], Truth.CostUsd), Truth.Prompts);

        Assert.Throws<ArgumentException>(() => MultiModelEvaluator.Evaluate(Truth, predictions, [], new MultiModelOptions()));
    }
}
