namespace RouteLLM.MLNet.Plotting;

/// <summary>Options of <see cref="ChartPng"/>: the image size and the local Chromium that renders it.</summary>
public sealed class PngExportOptions
{
    /// <summary>The environment variable that names the Chromium (or Chrome) executable when <see cref="BrowserPath"/> is not set.</summary>
    public const string BrowserPathVariable = "ROUTELLM_CHROMIUM";

    /// <summary>Debian's Chromium, where <c>.ci/install-chromium.sh</c> (<c>apt-get install chromium</c>) puts it.</summary>
    public const string DefaultBrowserPath = "/usr/bin/chromium";

    /// <summary>
    /// The Chromium or Chrome executable to start. Defaults to <see cref="BrowserPathVariable"/>, else
    /// <see cref="DefaultBrowserPath"/>. It must exist: a browser is never downloaded.
    /// </summary>
    public string BrowserPath { get; set; } = Environment.GetEnvironmentVariable(BrowserPathVariable) is { Length: > 0 } path
        ? path
        : DefaultBrowserPath;

    /// <summary>Width of the chart in CSS pixels.</summary>
    public int Width { get; set; } = 1000;

    /// <summary>Height of the chart in CSS pixels.</summary>
    public int Height { get; set; } = 600;

    /// <summary>Device pixels per CSS pixel: the PNG is <see cref="Width"/> × <see cref="Scale"/> pixels wide.</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>How long starting the browser, and loading the chart into it, may each take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height, nameof(Height));
        if (!(Scale > 0 && double.IsFinite(Scale)))
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "The scale must be a positive number.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive and under 24 days.");
        }

        if (!File.Exists(BrowserPath))
        {
            throw new FileNotFoundException(
                $"Chromium not found at '{BrowserPath}'. Install it (Debian: `apt-get install -y chromium`, as .ci/install-chromium.sh does) " +
                $"or name the executable in {BrowserPathVariable} or {nameof(PngExportOptions)}.{nameof(BrowserPath)}. " +
                "A browser is never downloaded.",
                BrowserPath);
        }
    }
}
