using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.ImageExport;
using PuppeteerSharp;

namespace RouteLLM.MLNet.Plotting;

/// <summary>
/// Renders Plotly.NET charts to PNG through Plotly.NET.ImageExport in a local headless Chromium, with plotly.js inlined
/// and the browser's networking off: it works on a machine without internet and never downloads a browser.
/// </summary>
/// <remarks>
/// Plotly.NET.ImageExport keeps its browser settings in process-wide fields, so renders through this class run one at a
/// time, and other code in the same process should not change <see cref="PuppeteerSharpRendererOptions"/>.
/// Each render starts and closes its own browser (about a second).
/// </remarks>
public static class ChartPng
{
    private const string PngDataUriPrefix = "data:image/png;base64,";

    private static readonly SemaphoreSlim OneRenderAtATime = new(1, 1);

    /// <summary>Renders <paramref name="chart"/> and returns the PNG file's bytes.</summary>
    /// <param name="chart">The chart; its plotly.js reference is replaced by the copy inlined in Plotly.NET.</param>
    /// <param name="options">Size and browser; defaults when null.</param>
    /// <exception cref="FileNotFoundException">The browser executable does not exist.</exception>
    public static async Task<byte[]> RenderAsync(GenericChart chart, PngExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        options ??= new PngExportOptions();
        options.Validate();

        await OneRenderAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            // With no local path set, Plotly.NET.ImageExport downloads a browser: always set one.
            PuppeteerSharpRendererOptions.localBrowserExecutablePath = FSharpOption<string>.Some(options.BrowserPath);
            PuppeteerSharpRendererOptions.launchOptions = LaunchOptions(options);
            PuppeteerSharpRendererOptions.navigationOptions = new NavigationOptions { Timeout = (int)options.Timeout.TotalMilliseconds };

            IGenericChartRenderer renderer = new PuppeteerSharpRenderer();
            var dataUri = await renderer.RenderPNGAsync(options.Width, options.Height, options.Scale, WithInlinePlotlyJs(chart))
                .ConfigureAwait(false);
            if (!dataUri.StartsWith(PngDataUriPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Chromium returned '{dataUri[..Math.Min(40, dataUri.Length)]}…' instead of a PNG data URI.");
            }

            return Convert.FromBase64String(dataUri[PngDataUriPrefix.Length..]);
        }
        finally
        {
            OneRenderAtATime.Release();
        }
    }

    /// <summary>Renders <paramref name="chart"/> to a PNG file at <paramref name="path"/> (written whole, or not at all).</summary>
    /// <param name="chart">The chart to render.</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="options">Size and browser; defaults when null.</param>
    /// <exception cref="FileNotFoundException">The browser executable does not exist.</exception>
    public static async Task SaveAsync(GenericChart chart, string path, PngExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var png = await RenderAsync(chart, options).ConfigureAwait(false);

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, png).ConfigureAwait(false);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static LaunchOptions LaunchOptions(PngExportOptions options)
    {
        var arguments = new List<string>
        {
            "--disable-gpu",
            // Containers often have a small /dev/shm; Chromium then crashes on large pages.
            "--disable-dev-shm-usage",
            // The page needs no network (plotly.js is inlined); keep Chromium from reaching out on its own.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        };
        if (Environment.IsPrivilegedProcess)
        {
            // Chromium refuses to start its sandbox as root; the page is our own chart.
            arguments.Add("--no-sandbox");
        }

        return new LaunchOptions
        {
            Headless = true,
            Timeout = (int)options.Timeout.TotalMilliseconds,
            Args = [.. arguments],
        };
    }

    private static GenericChart WithInlinePlotlyJs(GenericChart chart)
    {
        // Only the plotly.js reference is set; DisplayOptions.init's other arguments are F# options left empty (null).
        var inline = DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        return GenericChart.addDisplayOptions(inline, chart);
    }
}
