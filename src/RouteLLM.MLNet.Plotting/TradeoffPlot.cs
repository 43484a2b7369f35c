using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.IO;
using Chart = Plotly.NET.CSharp.Chart;

namespace RouteLLM.MLNet.Plotting;

/// <summary>
/// RouteLLM's trade-off plot: quality against the share of strong-model calls for each router, with the random router,
/// the oracle and the strong and weak models' own quality as horizontal lines.
/// </summary>
public static class TradeoffPlot
{
    /// <summary>
    /// The chart of one benchmark's results: a curve per router (hover shows each point's threshold) and, once, the
    /// random and oracle curves and the strong/weak lines. When routers were evaluated on different prompts (their
    /// near-training drops differ), the baselines are those of the router evaluated on the most prompts, and their
    /// legend entries name it.
    /// </summary>
    /// <param name="evaluations">Results on one benchmark.</param>
    /// <exception cref="ArgumentException">No results, or results from several benchmarks.</exception>
    public static GenericChart Create(IReadOnlyList<BenchmarkEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count == 0)
        {
            throw new ArgumentException("Nothing to plot: no evaluation results.", nameof(evaluations));
        }

        var benchmark = evaluations[0].Benchmark;
        if (evaluations.Any(e => e.Benchmark != benchmark))
        {
            throw new ArgumentException($"One chart shows one benchmark; got {string.Join(", ", evaluations.Select(e => e.Benchmark).Distinct())}.", nameof(evaluations));
        }

        var traces = evaluations.Select(e => Curve(e.Points, e.Router, dash: null, color: null, hover: true)).ToList();

        // `routellm train random` writes random.zip: a router named like a baseline must not share its legend entry.
        var routerNames = evaluations.Select(e => e.Router).ToHashSet(StringComparer.Ordinal);
        string Baseline(string name) => routerNames.Contains(name) ? name + " baseline" : name;

        // One set of baselines per benchmark. Routers whose near-training drops differ saw slightly different prompts:
        // the baselines are then those of the widest set, and their legend says whose.
        var widest = evaluations.MaxBy(e => e.Prompts)!;
        var sameSet = evaluations.All(e => (e.Prompts, e.StrongModel, e.WeakModel, e.StrongQuality, e.WeakQuality)
            == (widest.Prompts, widest.StrongModel, widest.WeakModel, widest.StrongQuality, widest.WeakQuality));
        var suffix = sameSet ? "" : string.Create(CultureInfo.InvariantCulture, $" ({widest.Router}'s {widest.Prompts} prompts)");
        if (widest.RandomPoints.Count > 0)
        {
            traces.Add(Curve(widest.RandomPoints, Baseline("random") + suffix, StyleParam.DrawingStyle.Dash, Color.fromKeyword(ColorKeyword.Gray), hover: false));
        }

        if (widest.OraclePoints.Count > 0)
        {
            traces.Add(Curve(widest.OraclePoints, Baseline("oracle") + suffix, StyleParam.DrawingStyle.Dot, Color.fromKeyword(ColorKeyword.Black), hover: false));
        }

        // Dark red, not red: the default colour of the second router is a red-orange.
        traces.Add(Level(widest.StrongQuality, $"{widest.StrongModel} (strong){suffix}", Color.fromKeyword(ColorKeyword.DarkRed)));
        traces.Add(Level(widest.WeakQuality, $"{widest.WeakModel} (weak){suffix}", Color.fromKeyword(ColorKeyword.DarkGray)));

        var prompts = string.Join(" / ", evaluations.Select(e => e.Prompts).Distinct().Select(n => n.ToString(CultureInfo.InvariantCulture)));
        var chart = Chart.Combine(traces)
            // A little beyond 0–100 so that the markers at both ends are drawn whole.
            .WithXAxisStyle<double, double, string>(TitleText: "Strong-model calls (%)", MinMax: Tuple.Create(-2.0, 102.0))
            .WithYAxisStyle<double, double, string>(TitleText: QualityTitle(benchmark))
            .WithSize(Width: 900, Height: 600);
        return Plotly.NET.Chart.withTitle($"Router performance on {benchmark} ({prompts} prompts)", TitleFont: null).Invoke(chart);
    }

    /// <summary>
    /// Writes the charts of all <paramref name="evaluations"/>, one per benchmark, as one HTML file that needs nothing
    /// else: plotly.js is inlined, nothing is fetched from a CDN. Written to a temporary file, then moved.
    /// </summary>
    /// <param name="evaluations">Results on one or more benchmarks.</param>
    /// <param name="path">Destination; replaced if it exists.</param>
    public static void SaveHtml(IReadOnlyList<BenchmarkEvaluation> evaluations, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = ToHtml(evaluations);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(html);
        });
    }

    internal static string ToHtml(IReadOnlyList<BenchmarkEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        return ChartDocument.ToHtml([.. evaluations.GroupBy(e => e.Benchmark).Select(g => Create([.. g]))], "RouteLLM.MLNet: router trade-offs");
    }

    private static string QualityTitle(string benchmark) => benchmark switch
    {
        BenchmarkLoader.Mmlu or BenchmarkLoader.Gsm8k => $"Quality ({benchmark}): share answered correctly",
        BenchmarkLoader.MtBench => $"Quality ({benchmark}): mean GPT-4 grade (1–10)",
        _ => $"Quality ({benchmark})",
    };

    private static GenericChart Curve(IReadOnlyList<RoutingPoint> points, string name, StyleParam.DrawingStyle? dash, Color? color, bool hover) =>
        Chart.Line<double, double, string>(
            x: points.Select(p => p.StrongShare * 100),
            y: points.Select(p => p.Quality),
            ShowMarkers: true,
            Name: name,
            MultiText: hover ? points.Select(p => $"threshold {p.Threshold?.ToString("0.####", CultureInfo.InvariantCulture)}").ToArray() : default(Optional<IEnumerable<string>>),
            LineDash: dash is { } style ? style : default(Optional<StyleParam.DrawingStyle>),
            LineColor: color is { } lineColor ? lineColor : default(Optional<Color>));

    private static GenericChart Level(double quality, string name, Color color) =>
        Chart.Line<double, double, string>(
            x: [0.0, 100.0], y: [quality, quality], Name: name, LineDash: StyleParam.DrawingStyle.Dash, LineColor: color);
}
