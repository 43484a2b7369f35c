using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class MultiModelBenchmarkEvaluatorTests
{
    [Fact]
    public async Task A_pair_router_is_evaluated_on_a_scored_csv_priced_by_the_catalogue()
    {
        // The strong model solves every prompt; the weak one only those the scripted router scores low.
        var prompts = new[] { "p=0.9 hard one", "p=0.1 easy one", "p=0.8 hard two", "p=0.2 easy two" };
        var benchmark = new ModelScoreTable("scores", prompts, [ScriptedRouterModel.StrongModel, "weak", "other-model"],
            quality: [1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1], costUsd: null, new SkippedRows());
        var catalogue = ModelCatalogue.Create(
        [
            new CatalogueModel { Model = ScriptedRouterModel.StrongModel, InputUsdPerMTok = 10, OutputUsdPerMTok = 30, AvgOutputChars = 2000 },
            new CatalogueModel { Model = ScriptedRouterModel.WeakModel, Aliases = ["weak"], InputUsdPerMTok = 0.5, OutputUsdPerMTok = 1, AvgOutputChars = 2000 },
            new CatalogueModel { Model = "unused-model", InputUsdPerMTok = 1, OutputUsdPerMTok = 1, AvgOutputChars = 1 },
        ]);
        using var scorer = new RouterScorer(ScriptedRouterModel.Create(0.5f));

        var evaluation = await MultiModelBenchmarkEvaluator.EvaluateAsync(scorer, benchmark, catalogue, new MultiModelOptions { BootstrapResamples = 50 });

        Assert.Equal([ScriptedRouterModel.StrongModel, ScriptedRouterModel.WeakModel], evaluation.Models);
        Assert.Equal(
        [
            "other-model: in the benchmark but not in the catalogue",
            "unused-model: in the catalogue but not in the benchmark",
        ], evaluation.LeftOut);
        Assert.Equal([1, 0.5], evaluation.SingleModels.Select(m => m.Quality));
        Assert.Equal(1, evaluation.HighestQuality);
        Assert.True(evaluation.Aiq > evaluation.ZeroRouterAiq, $"AIQ {evaluation.Aiq} vs zero router {evaluation.ZeroRouterAiq}");
        Assert.True(evaluation.CostShareToMatchBest < 0.6); // the hard prompts on strong, the easy ones on weak: about half the cost
    }

    [Fact]
    public async Task A_multi_model_router_routes_on_the_last_block_and_falls_back_on_mean_real_costs()
    {
        var prompts = new[] { "shared examples\n\nq1", "shared examples\n\nq2" };
        var benchmark = new ModelScoreTable("bench", prompts, ["a", "b", "d"],
            quality: [1, 0, 1, 1, 1, 0], costUsd: [3, 1, 2, 3, 1, 2], new SkippedRows());
        var router = ScriptedQualityRouterModel.Create(["a", "b", "c"], [0, 0, 0], new Dictionary<string, float[]> { ["q1"] = [0.9f, 0.1f, 0.5f], ["q2"] = [0.9f, 0.9f, 0.5f] });
        using var scorer = new RouterScorer(router);

        var evaluation = await MultiModelBenchmarkEvaluator.EvaluateAsync(
            scorer, benchmark, catalogue: null, new MultiModelOptions { RouteOnLastBlock = true, BootstrapResamples = 50 });

        Assert.Equal(["a", "b"], evaluation.Models);
        Assert.Equal(["d: in the benchmark but the router never saw it", "c: known to the router but not in the benchmark"], evaluation.LeftOut);
        // The router is right on both prompts: its curve holds the oracle's points, (2, 1) among them.
        Assert.Equal(evaluation.OracleAiq, evaluation.Aiq, 12);
        Assert.Contains(new CostQualityPoint(2, 1), evaluation.Hull);
    }

    [Fact]
    public async Task Fewer_than_two_shared_models_is_a_clear_error()
    {
        var benchmark = new ModelScoreTable("bench", ["x"], ["a", "z"], [1, 0], [1, 1], new SkippedRows());
        using var scorer = new RouterScorer(ScriptedQualityRouterModel.Create(["a", "b"], [0, 0], new Dictionary<string, float[]> { ["x"] = [1, 0] }));

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            MultiModelBenchmarkEvaluator.EvaluateAsync(scorer, benchmark, null, new MultiModelOptions()));

        Assert.Contains("share 1 model(s)", error.Message);
        Assert.Contains("z: in the benchmark but the router never saw it", error.Message);
    }

    [Fact]
    public async Task A_benchmark_without_a_scored_prompt_is_a_clear_error_naming_it()
    {
        var benchmark = new ModelScoreTable("header-only", [], ["a", "b"], [], [], new SkippedRows());
        using var scorer = new RouterScorer(ScriptedQualityRouterModel.Create(["a", "b"], [0, 0], new Dictionary<string, float[]>()));

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            MultiModelBenchmarkEvaluator.EvaluateAsync(scorer, benchmark, null, new MultiModelOptions()));

        Assert.Contains("Benchmark 'header-only' has no scored prompt", error.Message);
    }
}
