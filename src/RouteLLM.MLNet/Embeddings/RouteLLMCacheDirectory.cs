namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Where RouteLLM.MLNet keeps what it can recompute: quantized models and embedding caches.
/// </summary>
public static class RouteLLMCacheDirectory
{
    /// <summary>
    /// <c>$XDG_CACHE_HOME/routellm</c> when that variable holds an absolute path, otherwise <c>~/.cache/routellm</c>
    /// (on Windows, <c>%LOCALAPPDATA%\routellm</c>; with no home directory, <c>routellm</c> in the temporary folder).
    /// Read on each call, so a changed environment is honoured.
    /// </summary>
    public static string Default
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg))
            {
                return Path.Combine(xdg, "routellm");
            }

            var home = Environment.GetFolderPath(OperatingSystem.IsWindows() ? Environment.SpecialFolder.LocalApplicationData : Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? Path.Combine(Path.GetTempPath(), "routellm")
                : OperatingSystem.IsWindows() ? Path.Combine(home, "routellm")
                : Path.Combine(home, ".cache", "routellm");
        }
    }
}
