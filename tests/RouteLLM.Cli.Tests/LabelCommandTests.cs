using System.Text.Json;
using RouteLLM.FakeUpstream;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary><c>routellm label</c> as a child process against contestants and a judge on 127.0.0.1.</summary>
public sealed class LabelCommandTests : IDisposable
{
    private const string Strong = "strong-model";
    private const string Weak = "weak-model";
    private const string Judge = "judge-model";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Killed_with_SIGKILL_and_restarted_it_repeats_no_call_and_writes_what_an_uninterrupted_run_writes()
    {
        var prompts = _directory.File("prompts.txt");
        await File.WriteAllLinesAsync(prompts, Enumerable.Range(1, 4).Select(i => $"question {i}, with a comma and \"quotes\""));

        string uninterrupted;
        int callsUninterrupted;
        await using (var server = await FakeLabelingServer.StartAsync(Judge, Strong))
        {
            var (exit, _, stderr) = await Routellm.RunAsync(Args(Settings(server, "clean"), prompts, "clean.csv"));
            Assert.True(exit == 0, stderr);
            uninterrupted = await File.ReadAllTextAsync(_directory.File("clean.csv"));
            callsUninterrupted = server.AnsweredCalls;
        }

        await using (var server = await FakeLabelingServer.StartAsync(Judge, Strong))
        {
            server.HoldAfterAnswered = 7;
            using (var victim = Routellm.Start(Args(Settings(server, "killed"), prompts, "killed.csv")))
            {
                await server.HeldRequestArrived.WaitAsync(TimeSpan.FromMinutes(2));
                victim.Kill(); // SIGKILL on Unix: no handler runs.
                await victim.WaitForExitAsync();
            }

            var answeredBeforeKill = server.AnsweredCalls;
            Assert.False(File.Exists(_directory.File("killed.csv")));
            server.ReleaseHeld();

            var (exit, stdout, stderr) = await Routellm.RunAsync(Args(Settings(server, "killed"), prompts, "killed.csv"));

            Assert.True(exit == 0, stderr);
            Assert.Contains($"{answeredBeforeKill} from the journal", stdout);
            Assert.Empty(server.RepeatedCalls());
            Assert.Equal(callsUninterrupted, server.AnsweredCalls);
            Assert.Equal(uninterrupted, await File.ReadAllTextAsync(_directory.File("killed.csv")));
        }
    }

    [Fact]
    public async Task Dry_run_prints_an_estimate_and_calls_nothing()
    {
        var prompts = _directory.File("prompts.txt");
        await File.WriteAllLinesAsync(prompts, ["one", "two"]);
        await using var server = await FakeLabelingServer.StartAsync(Judge, Strong);

        var (exit, stdout, stderr) = await Routellm.RunAsync([.. Args(Settings(server, "dry"), prompts, "dry.csv"), "--dry-run"]);

        Assert.True(exit == 0, stderr);
        Assert.Contains("2 prompts, 8 calls", stdout);
        Assert.Equal(0, server.AnsweredCalls);
        Assert.False(File.Exists(_directory.File("dry.csv")));
    }

    [Fact]
    public async Task A_judge_without_a_price_is_named()
    {
        var prompts = _directory.File("prompts.txt");
        await File.WriteAllLinesAsync(prompts, ["one"]);
        await using var server = await FakeLabelingServer.StartAsync(Judge, Strong);
        var settings = Settings(server, "noprice", judgePrice: false);

        var (exit, _, stderr) = await Routellm.RunAsync(Args(settings, prompts, "x.csv"));

        Assert.Equal(2, exit);
        Assert.Contains($"RouteLLM:Label:Judge:Model '{Judge}' is not in the catalogue", stderr);
        Assert.Equal(0, server.AnsweredCalls);
    }

    private string[] Args(string settings, string prompts, string output) =>
        ["label", "--settings", settings, "--prompts", prompts, "--output", _directory.File(output), "--concurrency", "1", "--max-answer-tokens", "64"];

    private string Settings(FakeLabelingServer server, string name, bool judgePrice = true)
    {
        // The catalogue prices the models, in routellm.json's Models array, as for serve.
        var models = new List<object>
        {
            new { Model = Strong, InputUsdPerMTok = 10, OutputUsdPerMTok = 30, AvgOutputChars = 1200 },
            new { Model = Weak, InputUsdPerMTok = 0.5, OutputUsdPerMTok = 1.5, AvgOutputChars = 800 },
        };
        if (judgePrice)
        {
            models.Add(new { Model = Judge, InputUsdPerMTok = 10, OutputUsdPerMTok = 30, AvgOutputChars = 400 });
        }

        var path = _directory.File(name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            RouteLLM = new
            {
                Server = new { Strong = new { server.BaseUrl, Model = Strong }, Weak = new { server.BaseUrl, Model = Weak } },
                Label = new { Judge = new { server.BaseUrl, Model = Judge } },
                Models = models,
            },
        }));
        return path;
    }
}
