using System.Diagnostics;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary>Runs the built <c>routellm</c> as a child process, as a user would, with a time limit.</summary>
internal static class Routellm
{
    private static readonly string Executable = Locate();

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"routellm {string.Join(' ', args)} ran for over 3 minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts routellm with its output redirected; the caller reads, waits for or kills it.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Executable);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    // The CLI is built beside this test assembly's configuration (the project reference guarantees it is built).
    private static string Locate()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(SharedData.RepositoryRoot, "src", "RouteLLM.Cli", "bin", configuration, "net10.0", "routellm.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the CLI first: {path} is missing.", path);
    }
}
