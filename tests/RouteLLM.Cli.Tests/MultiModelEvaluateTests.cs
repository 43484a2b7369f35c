using System.Text.Json;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary><c>routellm evaluate</c> on multi-model benchmarks, with the random router's two-model predictions.</summary>
public sealed class MultiModelEvaluateTests : IDisposable
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Routerbench_writes_aiq_zero_router_and_oracle_aiq_and_the_models_left_out()
    {
        var router = await TrainRandomAsync();
        var file = _temp.File("mbpp_train.csv");
        File.WriteAllText(file,
            $",sample_id,prompt,eval_name,{Strong},{Weak},claude-v2,{Strong}|model_response,{Weak}|model_response,claude-v2|model_response," +
            $"{Strong}|total_cost,{Weak}|total_cost,claude-v2|total_cost,oracle_model_to_route_to\n" +
            string.Concat(Enumerable.Range(0, 12).Select(i =>
                $"{i},s{i},\"['shared\\n\\nquestion {i}']\",mbpp,1.0,{i % 2}.0,1.0,a,b,c,0.01,0.001,0.005,x\n")));
        var json = _temp.File("out.json");
        var html = _temp.File("out.html");

        var (code, stdout, stderr) = await Routellm.RunAsync(
            "evaluate", "--router", router, "--benchmark", "routerbench", "--file", file, "--json", json, "--html", html, "--bootstrap", "20");

        Assert.True(code == 0, stderr);
        Assert.Contains("mbpp_train", stdout);
        Assert.Contains("left out: claude-v2: in the benchmark but the router never saw it", stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var result = Assert.Single(document.RootElement.EnumerateArray());
        foreach (var field in new[] { "aiq", "zero_router_aiq", "oracle_aiq" })
        {
            Assert.Equal(JsonValueKind.Number, result.GetProperty(field).ValueKind);
        }

        Assert.Equal([Strong, Weak], result.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        // Oracle: the weak model on the six prompts it solves, the strong one elsewhere: quality 1 at cost 0.0055, a
        // hull from (0.001, 0.5) to (0.0055, 1), flat to 0.01: (4.5 × 0.75 + 4.5 × 1) / 9.
        Assert.Equal((0.75 + 1) / 2, result.GetProperty("oracle_aiq").GetDouble(), 9);
        Assert.Equal(0.75, result.GetProperty("zero_router_aiq").GetDouble(), 9);
        Assert.Contains("Cost and quality on mbpp_train", File.ReadAllText(html));
    }

    [Fact]
    public async Task A_scored_csv_is_priced_by_the_catalogue_and_a_bad_catalogue_names_file_line_and_field()
    {
        var router = await TrainRandomAsync();
        var file = _temp.File("scores.csv");
        File.WriteAllText(file, $"prompt,{Strong},{Weak}\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"prompt {i},True,{i % 2 == 0}\n")));
        var catalogue = _temp.File("catalogue.csv");
        File.WriteAllText(catalogue, "model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars\n" +
            $"{Strong},,10,30,2049\nmixtral-8x7b-instruct-v0.1,{Weak},0.6,0.6,1465\n");
        var json = _temp.File("out.json");

        var (code, _, stderr) = await Routellm.RunAsync(
            "evaluate", "--router", router, "--benchmark", "csv", "--file", file, "--catalogue", catalogue, "--json", json, "--bootstrap", "20");

        Assert.True(code == 0, stderr);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var result = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal([Strong, "mixtral-8x7b-instruct-v0.1"], result.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.True(result.GetProperty("single_models")[0].GetProperty("cost_usd").GetDouble() > result.GetProperty("single_models")[1].GetProperty("cost_usd").GetDouble());

        File.AppendAllText(catalogue, "claude-2,,-8,24,1069\n");
        var bad = await Routellm.RunAsync("evaluate", "--router", router, "--benchmark", "csv", "--file", file, "--catalogue", catalogue);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("catalogue.csv:4 [input_usd_per_mtok]", bad.Stderr);
    }

    private async Task<string> TrainRandomAsync()
    {
        var battles = _temp.File("battles.csv");
        File.WriteAllText(battles,
            "model_a,model_b,prompt,winner_model_a,winner_model_b,winner_tie\n" +
            "gpt-4-1106-preview,mixtral-8x7b-instruct-v0.1,\"[\"\"one\"\"]\",1,0,0\n" +
            "gpt-4-1106-preview,mixtral-8x7b-instruct-v0.1,\"[\"\"two\"\"]\",0,1,0\n");
        var output = _temp.File("random.zip");
        var train = await Routellm.RunAsync("train", "random", "--battles", battles, "--output", output);
        Assert.True(train.ExitCode == 0, train.Stderr);
        return output;
    }
}
