namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Where RouteLLM.MLNet keeps what it can recompute: quantized models and embedding caches.
/// </summary>
public static class RouteLlmCacheDirectory
{
    /// <summary>
    /// <c>$XDG_CACHE_HOME/routellm</c> when that variable holds an absolute path, otherwise <c>~/.cache/routellm</c>
    /// (on Windows, <c>%LOCALAPPDATA%\routellm</c>). Read on each call, so a changed environment is honoured.
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

            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "routellm")
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "routellm");
        }
    }
}
