using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class ArenaBattlesTests : TempFolderTest
{
    private const string Header = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n";

    [Fact]
    public void Reads_the_arena_schema_with_bom_crlf_json_list_prompts_ties_extra_columns_and_alias_spellings()
    {
        var result = ArenaBattles.Read(DataFixtures.File("tree", "preferences", "arena_nasty.csv"));

        Assert.Equal(
        [
            new Battle("What is \"quoted\", with a comma?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins),
            new Battle("Tell me a joke.", "mixtral-8x7b-instruct-v0.1", "gpt-4-1106-preview", BattleOutcome.Tie),
            new Battle("Übersetze: ça va?", "mixtral-8x7b-instruct-v0.1", "claude-2", BattleOutcome.ModelBWins),
        ], result.Items);
        Assert.Equal(0, result.Skipped.Total);
    }

    [Fact]
    public void A_folder_is_read_file_by_file_in_name_order_and_response_columns_may_be_absent()
    {
        var result = ArenaBattles.Read(DataFixtures.File("tree", "preferences"));

        Assert.Equal(4, result.Items.Count);
        Assert.Equal(new Battle("Short?", "llama-2-70b-chat", "gpt-4-1106-preview", BattleOutcome.ModelBWins), result.Items[3]);
    }

    [Theory]
    [InlineData("1,0,1", "winner_model_a/winner_model_b/winner_tie", "1, 0, 1: exactly one must be 1")]
    [InlineData("0,0,0", "winner_model_a/winner_model_b/winner_tie", "0, 0, 0: exactly one must be 1")]
    [InlineData("0,2,0", "winner_model_b", "'2' is not 0 or 1")]
    [InlineData("0,1,yes", "winner_tie", "'yes' is not 0 or 1")]
    public void Bad_winner_flags_name_file_line_and_field(string flags, string field, string detail)
    {
        var path = Folder.Write("b.csv", Header + "1,m1,m2,\"[\"\"ok\"\"]\",[],[],1,0,0\n" + $"2,m1,m2,\"[\"\"bad\"\"]\",[],[],{flags}\n");

        var error = Assert.Throws<DataFormatException>(() => ArenaBattles.Read(path));

        Assert.Equal((path, 3L, field), (error.File, error.Line, error.Field));
        Assert.Equal($"{path}:3 [{field}]: bad winner flags: {detail}", error.Message);
    }

    [Theory]
    [InlineData("not json", "not a JSON list of turns")]
    [InlineData("[]", "the list of turns is empty")]
    [InlineData("[null]", "the first turn is a JSON Null, not a string")]
    [InlineData("[\"\"   \"\"]", "the first turn is empty")]
    [InlineData("{\"\"turn\"\": 1}", "a JSON Object where a JSON list of turns is expected")]
    public void Prompts_that_are_not_a_json_list_of_turns_are_errors_naming_the_prompt_field(string prompt, string problem)
    {
        var path = Folder.Write("p.csv", Header + $"1,m1,m2,\"{prompt}\",[],[],1,0,0\n");

        var error = Assert.Throws<DataFormatException>(() => ArenaBattles.Read(path));

        Assert.Equal((2L, "prompt"), (error.Line, error.Field));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void With_skip_bad_rows_every_bad_row_is_skipped_and_counted_by_reason()
    {
        var path = Folder.Write("s.csv", Header +
            "1,m1,m2,\"[\"\"good\"\"]\",[],[],0,0,1\n" +
            "2,m1,m2,\"[\"\"two winners\"\"]\",[],[],1,1,0\n" +
            "3,,m2,\"[\"\"no model\"\"]\",[],[],1,0,0\n" +
            "4,m1,m2,[],[],[],1,0,0\n" +
            "5,m1,m2,\"[\"\"too many fields\"\"]\",[],[],1,0,0,extra\n" +
            "6,m1,m2,\"[\"\"good too\"\"]\",[],[],0,1,0\n");

        var result = ArenaBattles.Read(path, new DataReadOptions { SkipBadRows = true });

        Assert.Equal(["good", "good too"], result.Items.Select(b => b.Prompt));
        Assert.Equal(new Dictionary<string, int>
        {
            ["bad prompt"] = 1,
            ["bad winner flags"] = 1,
            ["empty model name"] = 1,
            ["wrong field count"] = 1,
        }, result.Skipped.ToDictionary());
        Assert.Equal(4, result.Skipped.Total);
    }

    [Fact]
    public void A_missing_required_column_is_named()
    {
        var path = Folder.Write("m.csv", "id,model_a,model_b,prompt,winner_model_a,winner_model_b\n1,a,b,\"[\"\"x\"\"]\",1,0\n");

        var error = Assert.Throws<DataFormatException>(() => ArenaBattles.Read(path));

        Assert.Equal((1L, "winner_tie"), (error.Line, error.Field));
    }

    [Fact]
    public void A_missing_file_or_empty_folder_is_reported_with_its_path()
    {
        Assert.Contains("nope.csv", Assert.Throws<FileNotFoundException>(() => ArenaBattles.Read(Path.Combine(Folder.Path, "nope.csv"))).Message);
        Assert.Contains("no *.csv file", Assert.Throws<FileNotFoundException>(() => ArenaBattles.Read(Folder.Path)).Message);
    }
}
