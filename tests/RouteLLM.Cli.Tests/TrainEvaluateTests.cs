using System.Globalization;
using System.Text;
using System.Text.Json;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary>
/// Training an embedding router with gold labels through the CLI (real all-MiniLM-L6-v2 embeddings), then evaluating
/// it on an MMLU folder that contains the gold prompts: evaluation must drop exactly those as near-training prompts.
/// </summary>
public sealed class TrainEvaluateTests : IDisposable
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sw_trained_with_gold_is_evaluated_without_its_gold_prompts()
    {
        var data = WriteDataFolder(out var goldPrompts, out var otherPrompts);
        var zip = Path.Combine(_temp.Path, "sw.zip");
        var train = await Routellm.RunAsync("train", "sw", "--data", data, "--gold", Path.Combine(data, "gold"), "--gold-weight", "1", "--tiers", "2", "--output", zip);
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);

        var json = Path.Combine(_temp.Path, "eval.json");
        var evaluate = await Routellm.RunAsync("evaluate", "--router", zip, "--benchmark", "mmlu", "--data", data, "--json", json, "--bootstrap", "20");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var result = document.RootElement[0];
        Assert.Equal(goldPrompts, result.GetProperty("dropped").GetProperty("near_training").GetInt32());
        Assert.Equal(otherPrompts, result.GetProperty("prompts").GetInt32());
    }

    private string WriteDataFolder(out int goldPrompts, out int otherPrompts)
    {
        var data = Path.Combine(_temp.Path, "data");
        string[] topics = ["integrals", "prime numbers", "poetry", "gardening", "chess openings", "tax law", "volcanoes", "baking bread"];
        var battles = new StringBuilder("model_a,model_b,prompt,winner_model_a,winner_model_b,winner_tie\n");
        foreach (var (topic, i) in topics.Select((t, i) => (t, i)))
        {
            var prompt = Quote($"[\"Please explain {topic} to a curious student, step by step.\"]");
            battles.Append(CultureInfo.InvariantCulture, $"{Strong},mixtral-8x7b-instruct-v0.1,{prompt},{(i % 2 == 0 ? "1,0" : "0,1")},0\n");
            battles.Append(CultureInfo.InvariantCulture, $"claude-2,mixtral-8x7b-instruct-v0.1,{prompt},1,0,0\n");
            battles.Append(CultureInfo.InvariantCulture, $"{Strong},claude-2,{prompt},1,0,0\n");
        }

        Write(Path.Combine(data, "preferences", "battles.csv"), battles.ToString());
        var gold = Enumerable.Range(0, 10).Select(i => $"Question {i} about {topics[i % topics.Length]}: which option is right?\nA. one\nB. two\nAnswer:").ToArray();
        var others = Enumerable.Range(0, 12).Select(i => $"A different question {i} on {topics[(i + 3) % topics.Length]} and history?\nA. yes\nB. no\nAnswer:").ToArray();
        string Row(string prompt, int i) => $"{Quote(prompt)},{(i % 3 == 0 ? "False" : "True")},{(i % 4 == 0 ? "False" : "True")}";
        Write(Path.Combine(data, "gold", "gold.csv"),
            $"prompt,{Weak},{Strong},subject\n" + string.Concat(gold.Select((p, i) => Row(p, i) + ",misc\n")));
        Write(Path.Combine(data, "routellm", "mmlu", "responses", "mmlu_miscellaneous.csv"),
            $"prompt,{Weak},{Strong}\n" + string.Concat(gold.Concat(others).Select((p, i) => Row(p, i + 1) + "\n")));
        Write(Path.Combine(data, "routellm", "mmlu", "contaminated_prompts.jsonl"), "");
        goldPrompts = gold.Length;
        otherPrompts = others.Length;
        return data;
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"") + "\"";

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
