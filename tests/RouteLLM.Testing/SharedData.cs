using Xunit;

namespace RouteLLM.Testing;

/// <summary>
/// The real public data (RouteLLM's benchmarks, the judge battles, the gold set), read where <c>.ci/run</c> pulls it
/// (<c>data/</c> at the repository root) or from <c>../shared/data</c> beside the checkout. Tests that need it skip
/// with a reason when it is absent, except under <c>CI=true</c>, where its absence fails the run.
/// </summary>
public static class SharedData
{
    /// <summary>The repository root (the folder holding RouteLLM.MLNet.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The data folder, laid out as <c>routellm/</c>, <c>preferences/</c>, <c>gold/</c>; skips or fails when absent.</summary>
    public static string RequireDirectory()
    {
        foreach (var candidate in new[] { Path.Combine(RepositoryRoot, "data"), Path.Combine(RepositoryRoot, "..", "shared", "data") })
        {
            if (Directory.Exists(Path.Combine(candidate, "routellm", "mmlu")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        const string why = "Real data not found: run `dotnet run --project src/RouteLLM.Cli -- data pull --from ../shared/data` (or keep ../shared/data beside the checkout).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("CI=true and " + why);
        }

        Skip.If(true, why);
        return "";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RouteLLM.MLNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RouteLLM.MLNet.sln not found above {AppContext.BaseDirectory}.");
    }
}
