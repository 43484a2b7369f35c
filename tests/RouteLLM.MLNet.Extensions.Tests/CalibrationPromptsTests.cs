using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests;

/// <summary>Calibration prompts files of each format the core's <see cref="PromptFile"/> reads, with a scripted router.</summary>
public sealed class CalibrationPromptsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly string _router;

    public CalibrationPromptsTests()
    {
        _router = _directory.File("r.zip");
        RouterZip.Save(ScriptedRouterModel.Create(0.5f), _router);
    }

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string> TenScores => new()
    {
        { "prompts.txt", string.Join('\n', Enumerable.Range(1, 10).Select(i => $"p={Score(i)} a prompt\n")) },
        {
            "arena.csv",
            "id,prompt,winner\n" + string.Join('\n', Enumerable.Range(1, 10).Select(i => i % 2 == 0
                ? $"{i},\"p={Score(i)} a prompt, with a comma\",model_a"
                : $"{i},\"[\"\"p={Score(i)} the first turn\"\", \"\"a second turn\"\"]\",tie"))
        },
        {
            "prompts.jsonl",
            string.Join('\n', Enumerable.Range(1, 10).Select(i => (i % 3) switch
            {
                0 => $$"""{"prompt": "p={{Score(i)}} a prompt"}""",
                1 => $$"""{"prompt": ["p={{Score(i)}} the first turn", "a second turn"]}""",
                _ => $$"""{"question_id": {{i}}, "turns": ["p={{Score(i)}} an MT-Bench question", "a follow-up"]}""",
            }))
        },
    };

    [Theory]
    [MemberData(nameof(TenScores))]
    public void Calibration_prompts_come_from_text_csv_and_jsonl_files(string name, string contents)
    {
        var path = _directory.File(name);
        File.WriteAllText(path, contents);

        using var pool = Pool(path);

        // Ten scores 0.1..1.0; the 0.7-quantile lies at position 0.7 × 9 = 6.3: 0.7 + 0.3 × (0.8 − 0.7) = 0.73.
        Assert.Equal(10, pool.Get("r").CalibrationPromptCount);
        Assert.Equal(0.73f, pool.Get("r").ResolveThreshold(RoutingThreshold.ForStrongShare(0.3)), 5);
    }

    [Fact]
    public void A_bad_calibration_file_stops_the_pool_naming_the_file_and_where()
    {
        var jsonl = Write("bad.jsonl", """{"prompt": "p=0.1 fine"}""" + "\n" + """{"prompt": 5}""");
        var csv = Write("bad.csv", "id,question\n1,what?");
        var blank = Write("blank.txt", "\n  \n\n");
        var missing = _directory.File("missing.txt");

        Assert.Contains($"{jsonl}:2 [prompt]", Assert.Throws<InvalidOperationException>(() => Pool(jsonl)).Message);
        Assert.Contains($"{csv}:1 [prompt]: no column prompt; the header has 'id', 'question'", Assert.Throws<InvalidOperationException>(() => Pool(csv)).Message);
        Assert.Contains($"'{blank}' holds no prompts (3 skipped (3 × blank line))", Assert.Throws<InvalidOperationException>(() => Pool(blank)).Message);
        Assert.Contains($"'{missing}' does not exist", Assert.Throws<InvalidOperationException>(() => Pool(missing)).Message);
    }

    [Fact]
    public async Task A_calibration_file_broken_before_a_reload_keeps_the_version_serving()
    {
        var path = Write("prompts.jsonl", """{"prompt": "p=0.1 fine"}""");
        using var pool = Pool(path);

        File.WriteAllText(path, """{"prompt": "p=0.1 fine"}""" + "\nnot json");

        Assert.False(await pool.ReloadAsync("r"));
        Assert.Equal(1, pool.Get("r").Version);
        Assert.Equal(1, pool.Get("r").CalibrationPromptCount);
    }

    private static string Score(int tenths) => tenths == 10 ? "1.0" : $"0.{tenths}";

    private string Write(string name, string contents)
    {
        var path = _directory.File(name);
        File.WriteAllText(path, contents);
        return path;
    }

    private RouterPool Pool(string calibrationPrompts) =>
        new(Options.Create(new RouterPoolOptions { WatchForChanges = false }.AddRouter("r", _router, calibrationPrompts)));
}
