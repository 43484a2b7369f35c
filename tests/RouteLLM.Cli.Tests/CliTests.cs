using System.Globalization;
using System.Text.Json;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary>
/// The routellm command line end to end, on the data layer's fixture tree laid out like RouteLLM's data folder:
/// pull, train, evaluate (GSM8K included), calibrate, route, bench, and its errors.
/// </summary>
public sealed class CliTests : IDisposable
{
    private static readonly string Tree = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tree");
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Data => Path.Combine(_temp.Path, "data");

    private string RandomZip => Path.Combine(_temp.Path, "random.zip");

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (code, stdout, _) = await Routellm.RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "data", "train", "evaluate", "calibrate", "route", "bench", "serve" })
        {
            Assert.Contains(command, stdout);
        }
    }

    [Fact]
    public async Task Pull_train_and_evaluate_gsm8k_write_the_issues_json_and_a_self_contained_html()
    {
        await PullAndTrainRandomAsync();
        var json = Path.Combine(_temp.Path, "eval.json");
        var html = Path.Combine(_temp.Path, "eval.html");

        var (code, stdout, stderr) = await Routellm.RunAsync(
            "evaluate", "--router", RandomZip, "--benchmark", "gsm8k", "--data", Data, "--json", json, "--html", html, "--bootstrap", "50");

        Assert.True(code == 0, stderr);
        Assert.Contains("gsm8k", stdout);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var result = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(
            ["router", "router_file", "benchmark", "prompts", "dropped", "strong_model", "weak_model", "strong_quality", "weak_quality",
             "apgr", "apgr_ci95", "cpt", "cpt50_ci95", "points", "random_apgr", "oracle_apgr"],
            result.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gsm8k", result.GetProperty("benchmark").GetString());
        Assert.Equal(["contaminated_list", "near_training"], result.GetProperty("dropped").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["20", "50", "80"], result.GetProperty("cpt").EnumerateObject().Select(p => p.Name));
        Assert.Equal(11, result.GetProperty("points").GetArrayLength());
        var text = File.ReadAllText(html);
        Assert.DoesNotContain("<script src=\"http", text);
        Assert.Contains("Router performance on gsm8k", text);
    }

    [Fact]
    public async Task Calibrate_route_and_bench_agree_on_a_threshold()
    {
        await PullAndTrainRandomAsync();
        var prompts = Path.Combine(_temp.Path, "prompts.txt");
        File.WriteAllLines(prompts, Enumerable.Range(0, 200).Select(i => $"prompt number {i}"));

        var (code, stdout, stderr) = await Routellm.RunAsync("calibrate", "--router", RandomZip, "--prompts", prompts, "--strong-share", "0.25");
        Assert.True(code == 0, stderr);
        var fields = stdout.Trim().Split('\t').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal("200", fields["prompts"]);
        Assert.InRange(double.Parse(fields["strong_share"], CultureInfo.InvariantCulture), 0.245, 0.255);
        Assert.StartsWith("router-random-", fields["model"]);

        var always = await Routellm.RunAsync("route", "--router", RandomZip, "--threshold", "0", "anything at all");
        Assert.StartsWith("gpt-4-1106-preview\t", always.Stdout);
        var calibrated = await Routellm.RunAsync("route", "--router", RandomZip, "--strong-share", "0.25", "--prompts", prompts, "prompt number 7");
        Assert.Equal(0, calibrated.ExitCode);
        Assert.Contains("threshold=" + double.Parse(fields["threshold"], CultureInfo.InvariantCulture).ToString("F5", CultureInfo.InvariantCulture), calibrated.Stdout);

        var benchJson = Path.Combine(_temp.Path, "bench.json");
        var bench = await Routellm.RunAsync("bench", "--router", RandomZip, "--prompts", prompts, "--seconds", "0.2", "--json", benchJson);
        Assert.True(bench.ExitCode == 0, bench.Stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(benchJson));
        Assert.Equal(
            ["router", "prompts", "decisions_per_s", "decisions_per_s_excl_embedding", "p50_ms", "p99_ms", "tokens_per_s"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(document.RootElement.GetProperty("decisions_per_s").GetDouble() > 0);
    }

    [Fact]
    public async Task Errors_go_to_stderr_with_a_non_zero_exit_code()
    {
        var missing = await Routellm.RunAsync("route", "--router", Path.Combine(_temp.Path, "missing.zip"), "hi");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing.zip", missing.Stderr);
        Assert.Empty(missing.Stdout);

        var corrupt = Path.Combine(_temp.Path, "corrupt.zip");
        File.WriteAllText(corrupt, "not a zip");
        var bad = await Routellm.RunAsync("route", "--router", corrupt, "hi");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a router zip", bad.Stderr);

        await PullAndTrainRandomAsync();
        var threshold = await Routellm.RunAsync("route", "--router", RandomZip, "--threshold", "1.5", "hi");
        Assert.Equal(2, threshold.ExitCode);
        Assert.Contains("outside [0, 1]", threshold.Stderr);

        var benchmark = await Routellm.RunAsync("evaluate", "--router", RandomZip, "--benchmark", "nope", "--data", Data);
        Assert.NotEqual(0, benchmark.ExitCode);
        Assert.Contains("nope", benchmark.Stderr);
    }

    [Fact]
    public async Task A_bad_battles_row_names_file_and_line_unless_skipped_and_counted()
    {
        var battles = Path.Combine(_temp.Path, "battles.csv");
        File.WriteAllText(battles,
            "model_a,model_b,prompt,winner_model_a,winner_model_b,winner_tie\n" +
            "gpt-4-1106-preview,mixtral-8x7b-instruct-v0.1,\"[\"\"fine\"\"]\",1,0,0\n" +
            "gpt-4-1106-preview,mixtral-8x7b-instruct-v0.1,\"[\"\"two winners\"\"]\",1,1,0\n");
        var output = Path.Combine(_temp.Path, "r.zip");

        var strict = await Routellm.RunAsync("train", "random", "--battles", battles, "--output", output);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("battles.csv:3", strict.Stderr);
        Assert.False(File.Exists(output));

        var skipping = await Routellm.RunAsync("train", "random", "--battles", battles, "--output", output, "--skip-bad-rows");
        Assert.True(skipping.ExitCode == 0, skipping.Stderr);
        Assert.Contains("1 skipped", skipping.Stderr);
        Assert.True(File.Exists(output));
    }

    private async Task PullAndTrainRandomAsync()
    {
        var pull = await Routellm.RunAsync("data", "pull", "--from", Tree, "--data", Data);
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.True(File.Exists(Path.Combine(Data, "routellm", "gsm8k", "gsm8k_responses.csv")));
        var train = await Routellm.RunAsync("train", "random", "--data", Data, "--output", RandomZip);
        Assert.True(train.ExitCode == 0, train.Stderr);
    }
}
