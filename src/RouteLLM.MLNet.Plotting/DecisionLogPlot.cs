using Plotly.NET;
using Plotly.NET.CSharp;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.IO;
using Chart = Plotly.NET.CSharp.Chart;

namespace RouteLLM.MLNet.Plotting;

/// <summary>
/// The decision log's drift chart: for each policy and router version, the share of requests routed to the strong
/// model day by day, with the share it was calibrated for as a dashed line.
/// </summary>
public static class DecisionLogPlot
{
    /// <summary>The chart of <paramref name="usage"/> (from <see cref="DecisionLogReport.Summarize"/>).</summary>
    /// <exception cref="ArgumentException">Nothing to plot.</exception>
    public static GenericChart Create(IReadOnlyList<PolicyUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.Count == 0)
        {
            throw new ArgumentException("Nothing to plot: the decision log is empty.", nameof(usage));
        }

        var traces = new List<GenericChart>();
        foreach (var policy in usage)
        {
            var name = $"{policy.Policy} (v{policy.RouterVersion}{(policy.RouterDigest is { } digest ? " " + digest : "")})";
            var days = policy.Days.Select(d => d.Day.ToDateTime(TimeOnly.MinValue)).ToArray();
            traces.Add(Chart.Line<DateTime, double, string>(x: days, y: policy.Days.Select(d => d.StrongShare * 100), ShowMarkers: true, Name: name + ": routed"));
            if (policy.CalibratedStrongShare is { } calibrated && days.Length > 0)
            {
                traces.Add(Chart.Line<DateTime, double, string>(
                    x: [days[0], days[^1]], y: [calibrated * 100, calibrated * 100], Name: name + ": calibrated", LineDash: StyleParam.DrawingStyle.Dash));
            }
        }

        var chart = Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "Day (UTC)")
            .WithYAxisStyle<double, double, string>(TitleText: "Requests routed to the strong model (%)", MinMax: Tuple.Create(0.0, 100.0))
            .WithSize(Width: 900, Height: 500);
        return Plotly.NET.Chart.withTitle($"Routed vs calibrated strong share ({usage.Sum(u => u.Requests)} requests)", TitleFont: null).Invoke(chart);
    }

    /// <summary>Writes the chart as one self-contained HTML file (plotly.js inlined), through a temporary file.</summary>
    public static void SaveHtml(IReadOnlyList<PolicyUsage> usage, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var display = DisplayOptions.init(
            DocumentTitle: "RouteLLM.MLNet: decision log", DocumentCharset: "utf-8", DocumentDescription: null, DocumentFavicon: null,
            AdditionalHeadTags: null, ChartDescription: null, PlotlyJSReference: PlotlyJSReference.Full);
        var html = GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(display).Invoke(Create(usage)));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(html);
        });
    }
}
