using System.Diagnostics;
using System.Text.Json.Nodes;
using RouteLLM.Testing;

namespace RouteLLM.Server.Tests;

/// <summary>
/// Runs deploy/scale-out-test.sh: three replicas sharing a redis-server behind nginx, one drained and one killed
/// under load. Skips when redis-server, nginx or jq is missing, except under <c>CI=true</c> (.ci/run installs them).
/// This is CI's one run of the script (5,000 requests per pass); .ci/run does not call it again.
/// </summary>
public sealed class ScaleOutScriptTests
{
    private static readonly string[] RequiredTools = ["redis-server", "redis-cli", "nginx", "jq", "curl"];

    [SkippableFact]
    public async Task Three_replicas_behind_nginx_lose_no_request_agree_on_spend_and_share_their_cache()
    {
        var missing = RequiredTools.Where(tool => !OnPath(tool)).ToList();
        if (missing.Count > 0)
        {
            var why = $"deploy/scale-out-test.sh needs {string.Join(", ", missing)} (apt-get install -y redis-server nginx jq curl).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true and " + why);
            }

            Skip.If(true, why);
        }

        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(SharedData.RepositoryRoot, "deploy", "scale-out-test.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = script.StandardError.ReadToEndAsync();
        var output = await script.StandardOutput.ReadToEndAsync();
        // The script stops itself and everything it started after its TIMEOUT_S (15 minutes by default).
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(16));
        await script.WaitForExitAsync(deadline.Token);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 0, "No output; stderr:\n" + await errors);
        var result = JsonNode.Parse(lines[^1])!.AsObject();
        Assert.Equal(10_000, result["requests"]!.GetValue<int>());
        Assert.True(result["failed"]!.GetValue<int>() == 0, $"{lines[^1]}\nstderr:\n{await errors}");
        Assert.Equal(0m, result["spend_mismatch_usd"]!.GetValue<decimal>());
        Assert.True(result["cache_hit_ratio"]!.GetValue<double>() >= 0.95, lines[^1]);
        Assert.True(result["p50_ms"]!.GetValue<double>() <= result["p99_ms"]!.GetValue<double>());
        Assert.NotNull(result["retried_requests"]);
        Assert.True(script.ExitCode == 0, $"exit {script.ExitCode}; stderr:\n{await errors}");
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, tool)));
}
