using System.Globalization;
using Plotly.NET;
using Plotly.NET.CSharp;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.IO;
using Chart = Plotly.NET.CSharp.Chart;

namespace RouteLLM.MLNet.Plotting;

/// <summary>
/// RouterBench's cost/quality plot of a multi-model benchmark: every single model as a point, the zero router's and the
/// oracle's hulls once, and each router's hull with its AIQ in the legend. Cost is on a log axis unless some cost is 0.
/// </summary>
public static class MultiModelPlot
{
    /// <summary>The chart of one benchmark's multi-model results.</summary>
    /// <param name="evaluations">Results on one benchmark.</param>
    /// <exception cref="ArgumentException">No results, or results from several benchmarks.</exception>
    public static GenericChart Create(IReadOnlyList<MultiModelEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count == 0)
        {
            throw new ArgumentException("Nothing to plot: no evaluation results.", nameof(evaluations));
        }

        var first = evaluations[0];
        if (evaluations.Any(e => e.Benchmark != first.Benchmark))
        {
            throw new ArgumentException($"One chart shows one benchmark; got {string.Join(", ", evaluations.Select(e => e.Benchmark).Distinct())}.", nameof(evaluations));
        }

        var traces = new List<GenericChart>
        {
            Chart.Point<double, double, string>(
                x: first.SingleModels.Select(m => m.CostUsd),
                y: first.SingleModels.Select(m => m.Quality),
                Name: "single models",
                MultiText: first.SingleModels.Select(m => m.Model).ToArray()),
            Hull(first.ZeroRouterHull, $"zero router (AIQ {Aiq(first.ZeroRouterAiq)})", StyleParam.DrawingStyle.Dash, Color.fromKeyword(ColorKeyword.Gray)),
            Hull(first.OracleHull, $"oracle (AIQ {Aiq(first.OracleAiq)})", StyleParam.DrawingStyle.Dot, Color.fromKeyword(ColorKeyword.Black)),
        };
        traces.AddRange(evaluations.Select(e => Hull(e.Hull, $"{e.Router} (AIQ {Aiq(e.Aiq)})", dash: null, color: null)));

        // Prices span two orders of magnitude, so on a linear axis the cheap models bunch at 0; a log axis cannot show a
        // free model, so it is used only when every plotted cost is positive.
        var logCost = first.SingleModels.Select(m => m.CostUsd)
            .Concat(evaluations.SelectMany(e => e.Hull).Concat(first.ZeroRouterHull).Concat(first.OracleHull).Select(p => p.CostUsd))
            .All(cost => cost > 0);
        var chart = Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(
                TitleText: logCost ? "Mean cost per prompt (USD, log scale)" : "Mean cost per prompt (USD)",
                AxisType: logCost ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithYAxisStyle<double, double, string>(TitleText: $"Mean quality ({first.Benchmark})")
            .WithSize(Width: 900, Height: 600);
        return Plotly.NET.Chart.withTitle($"Cost and quality on {first.Benchmark} ({first.Prompts} prompts, {first.Models.Count} models)", TitleFont: null).Invoke(chart);
    }

    /// <summary>Writes one chart per benchmark as one self-contained HTML file, through a temporary file.</summary>
    /// <param name="evaluations">Results on one or more benchmarks.</param>
    /// <param name="path">Destination; replaced if it exists.</param>
    public static void SaveHtml(IReadOnlyList<MultiModelEvaluation> evaluations, string path)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var html = ChartDocument.ToHtml([.. evaluations.GroupBy(e => e.Benchmark).Select(g => Create([.. g]))], "RouteLLM.MLNet: cost and quality");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(html);
        });
    }

    private static string Aiq(double aiq) => aiq.ToString("0.000", CultureInfo.InvariantCulture);

    private static GenericChart Hull(IReadOnlyList<CostQualityPoint> hull, string name, StyleParam.DrawingStyle? dash, Color? color) =>
        Chart.Line<double, double, string>(
            x: hull.Select(p => p.CostUsd),
            y: hull.Select(p => p.Quality),
            ShowMarkers: true,
            Name: name,
            LineDash: dash is { } style ? style : default(Optional<StyleParam.DrawingStyle>),
            LineColor: color is { } lineColor ? lineColor : default(Optional<Color>));
}
