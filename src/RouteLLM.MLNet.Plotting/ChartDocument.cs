using Plotly.NET;

namespace RouteLLM.MLNet.Plotting;

/// <summary>Several charts as one HTML document that needs nothing else: plotly.js is inlined, nothing comes from a CDN.</summary>
internal static class ChartDocument
{
    public static string ToHtml(IReadOnlyList<GenericChart> charts, string title)
    {
        if (charts.Count == 0)
        {
            throw new ArgumentException("Nothing to plot: no evaluation results.", nameof(charts));
        }

        // Plotly.NET inlines plotly.js in a chart's own document; the other charts join it in the body.
        var selfContained = DisplayOptions.init(
            DocumentTitle: title, DocumentCharset: "utf-8", DocumentDescription: null, DocumentFavicon: null,
            AdditionalHeadTags: null, ChartDescription: null, PlotlyJSReference: PlotlyJSReference.Full);
        var document = GenericChart.toEmbeddedHTML(Plotly.NET.Chart.withDisplayOptions(selfContained).Invoke(charts[0]));
        var bodyEnd = document.LastIndexOf("</body>", StringComparison.Ordinal);
        return document[..bodyEnd] + string.Concat(charts.Skip(1).Select(GenericChart.toChartHTML)) + document[bodyEnd..];
    }
}
