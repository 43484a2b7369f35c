using System.Text.RegularExpressions;
using Plotly.NET;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Plotting;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Plotting.Tests;

public sealed class MultiModelPlotTests
{
    private static readonly SingleModelPoint[] Models =
    [
        new("gpt-4-1106-preview", 0.03, 0.9),
        new("mixtral-8x7b-instruct-v0.1", 0.0006, 0.7),
        new("mistralai/mistral-7b-chat", 0.0002, 0.5),
    ];

    private static MultiModelEvaluation Result(string router, string benchmark = "arc-challenge", SingleModelPoint[]? models = null, double aiq = 0.8123)
    {
        models ??= Models;
        CostQualityPoint[] zero = [.. models.OrderBy(m => m.CostUsd).Select(m => new CostQualityPoint(m.CostUsd, m.Quality))];
        var interval = new ConfidenceInterval(0.1, 0.2);
        return new MultiModelEvaluation
        {
            Router = router,
            Benchmark = benchmark,
            Prompts = 100,
            Models = [.. models.Select(m => m.Model)],
            LeftOut = [],
            SingleModels = models,
            Aiq = aiq,
            ZeroRouterAiq = 0.75,
            OracleAiq = 0.95,
            GapClosed = 0.31,
            HighestQuality = 0.9,
            CostShareToMatchBest = 0.5,
            Ci95 = new MultiModelIntervals(interval, interval, interval, interval),
            Curve = zero,
            Hull = [zero[0], new CostQualityPoint(0.01, 0.88), zero[^1]],
            ZeroRouterHull = zero,
            OracleHull = [new CostQualityPoint(0.0003, 0.96)],
        };
    }

    [Fact]
    public void Chart_shows_every_single_model_the_baselines_once_and_each_router_with_its_aiq_on_a_log_cost_axis()
    {
        var json = GenericChart.toJson(MultiModelPlot.Create([Result("difficulty"), Result("sw", aiq: 0.7)]));

        foreach (var name in new[] { "single models", "zero router (AIQ 0.750)", "oracle (AIQ 0.950)", "difficulty (AIQ 0.812)", "sw (AIQ 0.700)" })
        {
            Assert.Single(Regex.Matches(json, Regex.Escape($"\"name\":\"{name}\"")));
        }

        Assert.Equal(5, Regex.Count(json, "\"type\":\"scatter\",\"name\""));
        Assert.All(Models, m => Assert.Contains($"\"{m.Model}\"", json));
        Assert.Contains("\"type\":\"log\"", json);
        Assert.Contains("Mean cost per prompt (USD, log scale)", json);
        Assert.Contains("Cost and quality on arc-challenge (100 prompts, 3 models)", json);
    }

    [Fact]
    public void A_free_model_keeps_its_point_on_a_linear_cost_axis()
    {
        var json = GenericChart.toJson(MultiModelPlot.Create([Result("difficulty", models: [.. Models, new SingleModelPoint("self-hosted", 0, 0.4)])]));

        Assert.DoesNotContain("\"type\":\"log\"", json);
        Assert.Contains("\"Mean cost per prompt (USD)\"", json);
        Assert.Contains("\"self-hosted\"", json);
    }

    [Fact]
    public void Each_benchmark_gets_its_own_chart_in_one_html_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("multi.html");

        MultiModelPlot.SaveHtml([Result("difficulty"), Result("sw"), Result("difficulty", "mbpp")], path);

        var html = File.ReadAllText(path);
        Assert.Equal(2, TradeoffPlotTests.Charts(html).Count);
        Assert.Contains("Cost and quality on arc-challenge", html);
        Assert.Contains("Cost and quality on mbpp", html);
    }

    [Fact]
    public void One_chart_shows_one_benchmark()
    {
        Assert.Throws<ArgumentException>(() => MultiModelPlot.Create([Result("difficulty"), Result("difficulty", "mbpp")]));
        Assert.Throws<ArgumentException>(() => MultiModelPlot.Create([]));
    }
}
