namespace RouteLLM.Benchmarks;

/// <summary>The repository the benchmarks run from: the first folder above the running build that holds the solution.</summary>
internal static class RepositoryDirectory
{
    /// <summary>The repository's root folder, or null when the build does not run from inside it.</summary>
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RouteLLM.MLNet.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
