using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class ScoredPromptsTests
{
    private const string RouterBenchHeader =
        "sample_id,prompt,eval_name,gpt-4-1106-preview,mistralai/Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview|model_response," +
        "mistralai/Mixtral-8x7B-Instruct-v0.1|model_response,gpt-4-1106-preview|total_cost,mistralai/Mixtral-8x7B-Instruct-v0.1|total_cost,oracle_model_to_route_to";

    [Fact]
    public void RouterBench_rows_give_the_last_block_scores_and_real_costs_under_canonical_names()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("arc_train.csv");
        File.WriteAllText(file, RouterBenchHeader + "\n" +
            "s1,\"['Shared example\\nAnswer:\\nA\\n\\nWhich is Ian\\'s?\\nAnswer:']\",arc,1,0,A,B,0.002,0.0001,gpt-4-1106-preview\n" +
            "s2,\"['Only one block']\",arc,,1,,A,,0.0003,x\n");

        var read = ScoredPrompts.Read(file);

        Assert.Equal(2, read.Items.Count);
        var first = read.Items[0];
        Assert.Equal("Which is Ian's?\nAnswer:", first.Prompt);
        Assert.Equal(new Dictionary<string, double> { ["gpt-4-1106-preview"] = 1, ["mixtral-8x7b-instruct-v0.1"] = 0 }, first.Scores);
        Assert.Equal(new Dictionary<string, double> { ["gpt-4-1106-preview"] = 0.002, ["mixtral-8x7b-instruct-v0.1"] = 0.0001 }, first.CostsUsd);
        var second = read.Items[1];
        Assert.Equal("Only one block", second.Prompt);
        Assert.Equal(["mixtral-8x7b-instruct-v0.1"], second.Scores.Keys);
    }

    [Fact]
    public void Generic_scored_csv_reads_every_column_beside_the_prompt_as_a_model()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("a.csv"), "prompt,m1,m2\n\"Hi, there\",True,0.25\nSecond,False,\n");
        File.WriteAllText(directory.File("b.csv"), "m3,prompt\n1,Third\n,Fourth\n");

        var read = ScoredPrompts.Read(directory.Path);

        Assert.Equal(["Hi, there", "Second", "Third"], read.Items.Select(i => i.Prompt));
        Assert.Equal(new Dictionary<string, double> { ["m1"] = 1, ["m2"] = 0.25 }, read.Items[0].Scores);
        Assert.Empty(read.Items[0].CostsUsd);
        Assert.Equal(1, read.Skipped["no model scored"]);
    }

    [Theory]
    [InlineData("prompt,m1\nHello,1.5\n", "m1", "bad score")]
    [InlineData("prompt,m1\nHello,maybe\n", "m1", "bad score")]
    public void A_bad_score_names_file_line_and_column(string content, string field, string reason)
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("bad.csv");
        File.WriteAllText(file, content);

        var error = Assert.Throws<DataFormatException>(() => ScoredPrompts.Read(file));

        Assert.Equal((file, 2L, field), (error.File, error.Line, error.Field));
        Assert.Contains(reason, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_cost_names_its_column()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("bad.csv");
        File.WriteAllText(file, RouterBenchHeader + "\ns1,\"['q']\",arc,1,0,A,B,-1,0.1,x\n");

        var error = Assert.Throws<DataFormatException>(() => ScoredPrompts.Read(file));

        Assert.Equal("gpt-4-1106-preview|total_cost", error.Field);
    }

    [Fact]
    public void Verdicts_against_the_reference_become_scores_with_the_reference_at_one_half()
    {
        Battle[] battles =
        [
            new("p", "gpt-4-1106-preview", "a", BattleOutcome.ModelBWins),
            new("p", "a", "gpt-4-1106-preview", BattleOutcome.Tie),
            new("p", "b", "gpt-4-1106-preview", BattleOutcome.ModelBWins),
            new("p", "b", "text-davinci-003", BattleOutcome.ModelAWins),
            new("q", "gpt-4-1106-preview", "c", BattleOutcome.Tie),
        ];

        var scores = VerdictScores.AgainstReference(battles, "gpt-4-1106-preview");

        Assert.Equal(["p", "q"], scores.Select(s => s.Prompt));
        Assert.Equal(new Dictionary<string, double> { ["gpt-4-1106-preview"] = 0.5, ["a"] = 0.75, ["b"] = 0 }, scores[0].Scores);
        Assert.Equal(new Dictionary<string, double> { ["gpt-4-1106-preview"] = 0.5, ["c"] = 0.5 }, scores[1].Scores);
    }
}
