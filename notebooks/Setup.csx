// Setup shared by the notebooks; their first cell runs `#load "Setup.csx"`. The kernel's working folder is notebooks/,
// and lib/ is what `dotnet publish notebooks -c Release -o notebooks/lib` (or notebooks/run-all.sh) builds from this
// repository's own projects. docs/NOTEBOOKS.md explains each part.

#r "lib/RouteLLM.MLNet.dll"
#r "lib/RouteLLM.MLNet.Plotting.dll"
#r "lib/Microsoft.Data.Analysis.dll"
#r "lib/Plotly.NET.dll"
#r "lib/Plotly.NET.CSharp.dll"
// For the compiler only: Plotly.NET's F# API (sliders, FSharpFunc) in notebook code needs FSharp.Core 10.1's metadata,
// else error CS1705. At run time the handler below answers FSharp.Core with the kernel's copy, so this one never loads.
#r "lib/FSharp.Core.dll"
// Not referenced: RouteLLM.MLNet.TorchSharp. RouterZip.Load loads it from lib/ when a zip of kind bert needs it, which
// fails ("already loaded") once a #r has loaded it by path.

using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.Loader;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

// Plotly.NET 6.0.0 is built against FSharp.Core 10.1.0.0, but dotnet-interactive 1.0.712001 (and dotnet-repl 0.3.259)
// load their own FSharp.Core 10.0.0.0 at start, and .NET has no binding redirects: a Plotly.NET call then fails with
// "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". Answer that request with the copy already loaded.
// A kernel that ships FSharp.Core 10.1 or later never raises the event, so this does nothing there.
if (AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core") is { } kernelFSharpCore
    && kernelFSharpCore.GetName().Version < new Version(10, 1))
{
    AssemblyLoadContext.Default.Resolving += (_, name) => name.Name == "FSharp.Core" ? kernelFSharpCore : null;
}

// Charts show as their HTML after plotly.js itself (Plotly.NET's own copy, as the HTML reports inline it), so that a
// saved notebook draws its charts offline. plotly.js is wrapped so that it sets the global Plotly even where the page
// has an AMD loader (Jupyter's require.js), whose `define` would otherwise take the module and leave Plotly undefined.
// The F# types live in ChartHtml, which is compiled on its first call, after the handler above is in place.
Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml(chart)), HtmlFormatter.MimeType);

static string ChartHtml(GenericChart chart)
{
    using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream($"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js")!;
    var plotlyJs = new StreamReader(stream).ReadToEnd();
    return $"<script type=\"text/javascript\">if (typeof Plotly === 'undefined') {{ (function (define, module, exports) {{\n{plotlyJs}\n}})(); }}</script>"
        + GenericChart.toChartHTML(chart);
}

// DataFrames show as plain HTML tables (Microsoft.Data.Analysis's formatter only loads with `#r "nuget:"`).
Formatter.Register<DataFrame>((frame, writer) =>
{
    writer.Write("<table><thead><tr>");
    foreach (var column in frame.Columns)
    {
        writer.Write($"<th>{WebUtility.HtmlEncode(column.Name)}</th>");
    }

    writer.Write("</tr></thead><tbody>");
    foreach (var row in frame.Rows)
    {
        writer.Write("<tr>");
        foreach (var cell in row)
        {
            writer.Write($"<td>{WebUtility.HtmlEncode(Convert.ToString(cell, CultureInfo.InvariantCulture))}</td>");
        }

        writer.Write("</tr>");
    }

    writer.Write("</tbody></table>");
}, HtmlFormatter.MimeType);

/// <summary>
/// The data folder: the CLI's <c>data/</c> once <c>routellm data pull</c> has filled it, else <c>../shared/data</c> beside
/// the checkout when it is there, else <c>data/</c> (whose loaders then name the missing file).
/// </summary>
static string FindDataDirectory()
{
    foreach (var candidate in new[] { "../data", "../../shared/data" })
    {
        if (Directory.Exists(Path.Combine(candidate, "routellm")))
        {
            return Path.GetFullPath(candidate);
        }
    }

    return Path.GetFullPath("../data");
}
