using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class PromptFileTests : TempFolderTest
{
    [Fact]
    public void A_text_file_has_one_prompt_per_line_and_blank_lines_are_counted()
    {
        var result = PromptFile.Read(DataFixtures.File("prompts", "prompts.txt"));

        Assert.Equal(["First prompt, with a comma", "\"Second\" prompt", "Third prompt"], result.Items);
        Assert.Equal(2, result.Skipped["blank line"]);
    }

    [Fact]
    public void A_jsonl_file_gives_each_prompt_field_a_list_of_turns_its_first_turn_and_mt_bench_questions_their_first_turn()
    {
        var result = PromptFile.Read(DataFixtures.File("prompts", "prompts.jsonl"));

        Assert.Equal(["A string prompt", "First turn", "MT-Bench first turn"], result.Items);
        Assert.Equal(0, result.Skipped.Total);
    }

    [Fact]
    public void A_csv_file_gives_its_prompt_column_and_arena_json_lists_give_their_first_turn()
    {
        Assert.Equal(
            ["Numeric scores", "True/False scores, quoted", "No score for model-y", "looks like a list"],
            PromptFile.Read(DataFixtures.File("prompts", "scored.csv")).Items);
        Assert.Equal(
            ["What is \"quoted\", with a comma?", "Tell me a joke.", "Übersetze: ça va?"],
            PromptFile.Read(DataFixtures.File("tree", "preferences", "arena_nasty.csv")).Items);
        Assert.Equal(
            ["Which bone is \"the longest\"?\nA. femur\nB. tibia, or fibula\nAnswer:", "Shared question?\nA. yes\nB. no\nAnswer:", "Plain prompt without quotes"],
            PromptFile.Read(DataFixtures.File("tree", "routellm", "mmlu", "responses", "mmlu_anatomy.csv")).Items);
    }

    [Fact]
    public void Rows_without_a_prompt_name_file_line_and_field()
    {
        var csv = Folder.Write("p.csv", "id,prompt\n1,fine\n2,\n");
        var jsonl = Folder.Write("p.jsonl", "{\"prompt\": \"fine\"}\n{\"text\": \"no prompt field\"}\n");

        var csvError = Assert.Throws<DataFormatException>(() => PromptFile.Read(csv));
        var jsonlError = Assert.Throws<DataFormatException>(() => PromptFile.Read(jsonl));

        Assert.Equal((csv, 3L, "prompt"), (csvError.File, csvError.Line, csvError.Field));
        Assert.Equal((jsonl, 2L, "prompt"), (jsonlError.File, jsonlError.Line, jsonlError.Field));
        Assert.Equal(["fine"], PromptFile.Read(jsonl, new DataReadOptions { SkipBadRows = true }).Items);

        var noColumn = Assert.Throws<DataFormatException>(() => PromptFile.Read(Folder.Write("q.csv", "question\nx\n")));
        Assert.Equal((1L, "prompt"), (noColumn.Line, noColumn.Field));
    }
}
