using System.Text.RegularExpressions;
using Plotly.NET;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Plotting;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Plotting.Tests;

public sealed class TradeoffPlotTests
{
    private static BenchmarkEvaluation Result(string router, string benchmark = "mmlu", int prompts = 100, double strong = 0.8, double weak = 0.6) => new()
    {
        Router = router,
        Benchmark = benchmark,
        Prompts = prompts,
        Dropped = new DroppedPrompts(5, 0),
        StrongModel = "gpt-4-1106-preview",
        WeakModel = "mixtral-8x7b-instruct-v0.1",
        StrongQuality = strong,
        WeakQuality = weak,
        Apgr = 0.6,
        ApgrCi95 = new ConfidenceInterval(0.5, 0.7),
        Cpt = new CallPerformanceThresholds(0.1, 0.4, 0.7),
        Cpt50Ci95 = new ConfidenceInterval(0.3, 0.5),
        Points = Line(weak, strong, share => share, threshold: true),
        RandomApgr = 0.5,
        OracleApgr = 1.3,
        RandomPoints = Line(weak, strong, share => share, threshold: false),
        OraclePoints = Line(weak, strong, share => Math.Min(1.5, 5 * share), threshold: false),
    };

    private static RoutingPoint[] Line(double weak, double strong, Func<double, double> pgr, bool threshold) =>
    [
        .. Enumerable.Range(0, 11).Select(k => k / 10.0)
            .Select(share => new RoutingPoint(threshold ? 1 - share : null, share, weak + pgr(share) * (strong - weak), pgr(share))),
    ];

    [Fact]
    public void Html_is_one_self_contained_file_with_plotly_inlined()
    {
        var html = WriteAndRead([Result("mf"), Result("sw")]);

        // plotly.js itself is in the file, whole, once; the rest refers to nothing outside the file (the favicon is a
        // data: URI). plotly.js carries a CDN address as the default topojson source of geo maps, never drawn here.
        var plotlyJs = PlotlyJs();
        Assert.True(plotlyJs.Length > 1_000_000);
        Assert.Equal(1, Occurrences(html, plotlyJs));
        var page = html.Replace(plotlyJs, "");
        Assert.DoesNotContain("cdn", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"\s(src|href)\s*=\s*(?![""']?data:)", RegexOptions.IgnoreCase), page);
        Assert.Single(Charts(page));
    }

    [Fact]
    public void Chart_has_a_curve_per_router_the_baselines_and_labelled_axes()
    {
        var json = GenericChart.toJson(TradeoffPlot.Create([Result("mf"), Result("sw")]));

        foreach (var name in new[] { "mf", "sw", "random", "oracle", "gpt-4-1106-preview (strong)", "mixtral-8x7b-instruct-v0.1 (weak)" })
        {
            Assert.Contains($"\"name\":\"{name}\"", json);
        }

        Assert.Equal(6, Regex.Count(json, "\"type\":\"scatter\",\"name\""));
        Assert.Contains("Strong-model calls (%)", json);
        Assert.Contains("Quality (mmlu)", json);
        Assert.Contains("threshold 0.3", json);
    }

    [Fact]
    public void The_quality_axis_says_what_quality_means_on_each_benchmark()
    {
        Assert.Contains("Quality (mmlu): share answered correctly", GenericChart.toJson(TradeoffPlot.Create([Result("mf")])));
        Assert.Contains("Quality (mt-bench): mean GPT-4 grade (1–10)", GenericChart.toJson(TradeoffPlot.Create([Result("mf", "mt-bench", 72, 9.0, 8.3)])));
        Assert.Contains("\"Quality (csv)\"", GenericChart.toJson(TradeoffPlot.Create([Result("mf", "csv")])));
    }

    [Fact]
    public void Baselines_are_drawn_once_per_benchmark_even_when_routers_saw_different_prompts()
    {
        var json = GenericChart.toJson(TradeoffPlot.Create([Result("mf", prompts: 90, strong: 0.79), Result("sw", prompts: 100), Result("bert", prompts: 100)]));

        // Three router curves and one each of random, oracle, strong and weak: those of the widest prompt set, named.
        Assert.Equal(7, Regex.Count(json, "\"type\":\"scatter\",\"name\""));
        foreach (var name in new[] { "random (sw's 100 prompts)", "oracle (sw's 100 prompts)", "gpt-4-1106-preview (strong) (sw's 100 prompts)" })
        {
            Assert.Contains($"\"name\":\"{name}\"", json);
        }

        Assert.Contains("\"y\":[0.8,0.8]", json);
        Assert.DoesNotContain("\"y\":[0.79,0.79]", json);
        Assert.Contains("(90 / 100 prompts)", json);
    }

    [Fact]
    public void A_router_named_like_a_baseline_keeps_its_own_legend_entry()
    {
        var json = GenericChart.toJson(TradeoffPlot.Create([Result("random")]));

        Assert.Single(Regex.Matches(json, "\"name\":\"random\""));
        Assert.Contains("\"name\":\"random baseline\"", json);
        Assert.Contains("\"name\":\"oracle\"", json);
    }

    [Fact]
    public void Each_benchmark_gets_its_own_chart_in_the_same_file()
    {
        var html = WriteAndRead([Result("mf"), Result("mf", "mt-bench", 72, 9.0, 8.3)]);

        var plotlyJs = PlotlyJs();
        Assert.Equal(1, Occurrences(html, plotlyJs));
        Assert.Equal(2, Charts(html.Replace(plotlyJs, "")).Count);
        Assert.Contains("Router performance on mmlu", html);
        Assert.Contains("Router performance on mt-bench", html);
    }

    [Fact]
    public void One_chart_shows_one_benchmark()
    {
        Assert.Throws<ArgumentException>(() => TradeoffPlot.Create([Result("mf"), Result("mf", "mt-bench")]));
        Assert.Throws<ArgumentException>(() => TradeoffPlot.Create([]));
    }

    // Plotly.NET's script for each chart: Plotly.newPlot('<div id>', data, layout, config).
    internal static MatchCollection Charts(string page) => Regex.Matches(page, @"Plotly\.newPlot\('[0-9a-f-]{36}'");

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string PlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream($"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js")!;
        return new StreamReader(stream).ReadToEnd();
    }

    private static string WriteAndRead(IReadOnlyList<BenchmarkEvaluation> results)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("tradeoff.html");
        TradeoffPlot.SaveHtml(results, path);
        return File.ReadAllText(path);
    }
}
