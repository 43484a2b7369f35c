namespace RouteLLM.MLNet.Plotting.ImageExport.Tests;

/// <summary>
/// The Chromium the PNG tests render with (<c>.ci/install-chromium.sh</c> installs it): they skip with a reason when it is
/// missing, except under <c>CI=true</c>, where its absence fails the run.
/// </summary>
internal static class LocalChromium
{
    public static void Require()
    {
        var path = new PngExportOptions().BrowserPath;
        if (File.Exists(path))
        {
            return;
        }

        var why = $"Chromium not found at '{path}': run `bash .ci/install-chromium.sh` (or set {PngExportOptions.BrowserPathVariable}).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("CI=true and " + why);
        }

        Skip.If(true, why);
    }
}
