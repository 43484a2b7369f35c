using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class MultiModelDataTests
{
    private const string RouterBenchHeader =
        ",sample_id,prompt,eval_name,model-a,org/model-b,model-a|model_response,org/model-b|model_response,model-a|total_cost,org/model-b|total_cost,oracle_model_to_route_to\n";

    [Fact]
    public void Reads_routerbench_quality_and_real_cost_and_counts_rows_with_empty_cells()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("arc_train.csv");
        File.WriteAllText(path, RouterBenchHeader +
            "7,arc.1,\"['Q1\\nA) it\\'s \"\"x\"\"\\n\\nQ2', 'again']\",arc,1.0,0.0,\"['A']\",\"['B']\",0.002,0.0001,model-a\n" +
            "8,arc.2,\"['Q3']\",arc,,1.0,\"['A']\",\"['B']\",0.002,0.0001,org/model-b\n" +
            "9,arc.3,\"[\"\"Q4 'quoted'\"\"]\",arc,0.0,1.0,\"['A']\",\"['B']\",0.003,0.0002,org/model-b\n");

        var table = RouterBenchCsv.Read(path);

        Assert.Equal("arc_train", table.Name);
        Assert.Equal(["model-a", "org/model-b"], table.Models);
        Assert.Equal(["Q1\nA) it's \"x\"\n\nQ2", "Q4 'quoted'"], table.Prompts);
        Assert.Equal([1, 0, 0, 1], table.Quality);
        Assert.Equal([0.002, 0.0001, 0.003, 0.0002], table.CostUsd!);
        Assert.Equal(1, table.Skipped["empty quality or cost cell"]);
    }

    [Fact]
    public void A_routerbench_prompt_that_is_not_a_list_literal_names_file_line_and_field()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("bad.csv");
        File.WriteAllText(path, RouterBenchHeader + "1,s,plain text,arc,1,0,a,b,0.1,0.1,x\n");

        var error = Assert.Throws<DataFormatException>(() => RouterBenchCsv.Read(path));

        Assert.Equal((path, 2L, "prompt"), (error.File, error.Line, error.Field));
        Assert.Equal(1, RouterBenchCsv.Read(path, new DataReadOptions { SkipBadRows = true }).Skipped["bad prompt"]);
    }

    [Fact]
    public void Reads_the_generic_scored_csv_with_true_false_and_numbers()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("scores.csv");
        File.WriteAllText(path, "prompt,gpt-4-1106-preview,mistralai/Mixtral-8x7B-Instruct-v0.1,notes\n" +
            "\"a, b\",True,False,x\nc,0.5,0.25,y\nd,,True,z\n");

        var table = ScoreTableCsv.Read(path, column => column != "notes");

        Assert.Equal(["gpt-4-1106-preview", "mistralai/Mixtral-8x7B-Instruct-v0.1"], table.Models);
        Assert.Equal(["a, b", "c"], table.Prompts);
        Assert.Equal([1, 0, 0.5, 0.25], table.Quality);
        Assert.Null(table.CostUsd);
        Assert.Equal(1, table.Skipped["empty score"]);
        Assert.Equal(1, table.IndexOf("mixtral-8x7b-instruct-v0.1", ModelAliases.Default));
    }

    [Theory]
    [InlineData("Example 1\nAnswer: A\n\nExample 2\nAnswer: B\n\nThe question?\nA) x\nAnswer:", "The question?\nA) x\nAnswer:")]
    [InlineData("Just one block  ", "Just one block")]
    [InlineData("Shared\r\n\r\nQuestion\n\n", "Question")]
    public void The_part_of_a_few_shot_prompt_that_differs_is_its_last_block(string prompt, string expected)
    {
        Assert.Equal(expected, FewShotPrompt.LastBlock(prompt));
    }

    [SkippableFact]
    public void Reads_routerbench_arc_challenge_with_its_11_models_and_20_incomplete_rows()
    {
        var path = Path.Combine(SharedData.RequireDirectory(), "routerbench", "arc_challenge_train.csv");

        var table = RouterBenchCsv.Read(path);

        Assert.Equal(11, table.Models.Count);
        Assert.Equal(1039 - 20, table.Prompts.Count);
        Assert.Equal(20, table.Skipped.Total);
        Assert.All(table.CostUsd!, c => Assert.True(c > 0));
        Assert.EndsWith("Answer:", FewShotPrompt.LastBlock(table.Prompts[0]));
        Assert.True(FewShotPrompt.LastBlock(table.Prompts[0]).Length < 700);
    }
}
