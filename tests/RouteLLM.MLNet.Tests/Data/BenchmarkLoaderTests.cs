using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class BenchmarkLoaderTests : TempFolderTest
{
    private const string Shared = "Shared question?\nA. yes\nB. no\nAnswer:";

    [Fact]
    public void Mmlu_concatenates_subjects_in_routellm_order_keeps_repeated_prompts_and_reads_the_contamination_list()
    {
        var mmlu = BenchmarkLoader.LoadMmlu(DataFixtures.Tree);

        Assert.Equal(("mmlu", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1"), (mmlu.Name, mmlu.StrongModel, mmlu.WeakModel));
        Assert.Equal(
        [
            new BenchmarkPrompt(Shared, 0, 1), // virology comes first in RouteLLM's ALL_MMLU_DOMAINS
            new BenchmarkPrompt("Is a virus alive?", 1, 1),
            new BenchmarkPrompt("Which bone is \"the longest\"?\nA. femur\nB. tibia, or fibula\nAnswer:", 1, 1),
            new BenchmarkPrompt(Shared, 1, 0),
            new BenchmarkPrompt("Plain prompt without quotes", 0, 0),
        ], mmlu.Prompts);
        Assert.Equal(["A prompt that is not in the benchmark", Shared], mmlu.ContaminatedPrompts.Order(StringComparer.Ordinal));
        Assert.Equal(3, mmlu.Prompts.Count(p => !mmlu.ContaminatedPrompts.Contains(p.Prompt)));
        Assert.Empty(mmlu.Skipped);
    }

    [Fact]
    public void Mt_bench_routes_on_turn_one_averages_both_turns_skips_negative_grades_and_drops_questions_by_any_turn()
    {
        var mtBench = BenchmarkLoader.LoadMtBench(DataFixtures.Tree);

        // Hand-computed from judgements.jsonl: 81 = (9+7)/2 vs 6 (its -1 skipped); 82 = 10 vs (4+5)/2; 83 = 8 vs 6.
        Assert.Equal(
        [
            new BenchmarkPrompt("Write a poem, with \"quotes\".", 8, 6),
            new BenchmarkPrompt("Solve 2+2.", 10, 4.5),
            new BenchmarkPrompt("Name a colour.", 8, 6),
        ], mtBench.Prompts);
        Assert.Equal(["Solve 2+2."], mtBench.ContaminatedPrompts); // listed by its second turn, "Explain why."
        Assert.Equal(new Dictionary<string, int> { ["negative grade"] = 1, ["grade of an unknown question"] = 1 }, mtBench.Skipped.ToDictionary());
    }

    [Fact]
    public void Mt_bench_can_score_another_pair_spelled_differently_in_the_judgements()
    {
        var mtBench = BenchmarkLoader.LoadMtBench(DataFixtures.Tree, "mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview");

        Assert.Equal("mixtral-8x7b-instruct-v0.1", mtBench.StrongModel);
        Assert.Equal([(6, 8), (4.5, 10), (6, 8)], mtBench.Prompts.Select(p => (p.StrongQuality, p.WeakQuality)));
    }

    [Fact]
    public void Mt_bench_question_without_grades_names_its_line_or_is_skipped_and_counted()
    {
        var root = CopyOfTree();
        File.AppendAllText(Path.Combine(root, "routellm", "mt_bench", "question.jsonl"), "{\"question_id\": 84, \"turns\": [\"Ungraded.\", \"Still.\"]}\n");

        var error = Assert.Throws<DataFormatException>(() => BenchmarkLoader.LoadMtBench(root));
        Assert.Equal(("question.jsonl", 4L, "question_id"), (Path.GetFileName(error.File), error.Line, error.Field));
        Assert.Contains("question 84 has no non-negative grade of gpt-4-1106-preview", error.Message);

        var skipping = BenchmarkLoader.LoadMtBench(root, options: new DataReadOptions { SkipBadRows = true });
        Assert.Equal(3, skipping.Prompts.Count);
        Assert.Equal(1, skipping.Skipped["ungraded question"]);
    }

    [Theory]
    [InlineData("{\"question_id\": 81, \"model\": \"gpt-4-1106-preview\", \"score\": \"ten\", \"turn\": 1}", "score", "missing or not a number: found String \"ten\"")]
    [InlineData("{\"question_id\": \"81\", \"model\": \"gpt-4-1106-preview\", \"score\": 10, \"turn\": 1}", "question_id", "missing or not an integer")]
    [InlineData("{\"question_id\": 81, \"score\": 10}", "model", "missing or not a string: the field is absent")]
    [InlineData("{\"question_id\": 81, \"model\": \" \", \"score\": 10}", "model", "empty model name")]
    [InlineData("{\"question_id\": 81, \"model\": ", null, "invalid JSON")]
    public void Malformed_judgements_name_file_line_and_field(string judgement, string? field, string problem)
    {
        var root = CopyOfTree();
        var judgements = Path.Combine(root, "routellm", "mt_bench", "judgements.jsonl");
        File.AppendAllText(judgements, judgement + "\n");

        var error = Assert.Throws<DataFormatException>(() => BenchmarkLoader.LoadMtBench(root));

        Assert.Equal((judgements, 15L, field), (error.File, error.Line, error.Field));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Gsm8k_reads_routellm_layout_and_ignores_the_response_columns()
    {
        var gsm8k = BenchmarkLoader.LoadGsm8k(DataFixtures.Tree);

        Assert.Equal("gsm8k", gsm8k.Name);
        Assert.Equal([(1, 1), (1, 0), (0, 1)], gsm8k.Prompts.Select(p => (p.StrongQuality, p.WeakQuality)));
        Assert.StartsWith("A train travels 60 miles in 1.5 hours,", gsm8k.Prompts[1].Prompt);
        Assert.Equal(["Tom reads 12 pages a day for 5 days. How many pages does he read?"], gsm8k.ContaminatedPrompts);
    }

    [Fact]
    public void Scored_csv_takes_booleans_and_numbers_skips_and_counts_empty_cells()
    {
        var csv = BenchmarkLoader.LoadScoredCsv(DataFixtures.File("prompts", "scored.csv"), "model-x", "model-y");

        Assert.Equal(("csv", "model-x", "model-y"), (csv.Name, csv.StrongModel, csv.WeakModel));
        Assert.Equal(
        [
            new BenchmarkPrompt("Numeric scores", 7.5, 6),
            new BenchmarkPrompt("True/False scores, quoted", 1, 0),
            new BenchmarkPrompt("[\"looks like a list\"]", 10, -2.5),
        ], csv.Prompts);
        Assert.Equal(new Dictionary<string, int> { ["empty score"] = 1 }, csv.Skipped.ToDictionary());
        Assert.Empty(csv.ContaminatedPrompts);
    }

    [Fact]
    public void Scored_csv_bad_score_names_its_column_and_line()
    {
        var path = Folder.Write("s.csv", "prompt,strong,weak\n\"a,\nb\",True,1\nc,maybe,0\n");

        var error = Assert.Throws<DataFormatException>(() => BenchmarkLoader.LoadScoredCsv(path, "strong", "weak"));

        Assert.Equal((4L, "strong"), (error.Line, error.Field));
        Assert.Contains("'maybe' is neither True/False nor a finite number", error.Message);
        Assert.Single(BenchmarkLoader.LoadScoredCsv(path, "strong", "weak", new DataReadOptions { SkipBadRows = true }).Prompts);
    }

    [Fact]
    public void Model_columns_are_found_through_aliases_and_an_absent_or_ambiguous_one_is_named()
    {
        var aliased = Folder.Write("a.csv", "prompt,Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview\nq,True,False\n");
        Assert.Equal(0, BenchmarkLoader.LoadScoredCsv(aliased, RouteLLMModels.Strong, RouteLLMModels.Weak).Prompts[0].StrongQuality);

        var missing = Assert.Throws<DataFormatException>(() => BenchmarkLoader.LoadScoredCsv(aliased, "claude-2", RouteLLMModels.Weak));
        Assert.Equal((1L, "claude-2"), (missing.Line, missing.Field));

        var twice = Folder.Write("t.csv", "prompt,mixtral-8x7b-instruct-v0.1,mistralai/Mixtral-8x7B-Instruct-v0.1,gpt-4-1106-preview\nq,1,1,1\n");
        var ambiguous = Assert.Throws<DataFormatException>(() => BenchmarkLoader.LoadScoredCsv(twice, RouteLLMModels.Strong, "Mixtral-8x7B-Instruct-v0.1"));
        Assert.Contains("both name model", ambiguous.Message);
    }

    [Fact]
    public void Gold_labels_become_strong_versus_weak_battles_with_the_chosen_weight()
    {
        var gold = BenchmarkLoader.LoadGold(DataFixtures.File("tree", "gold"));

        var battles = gold.ToBattles(weight: 2.5f);

        Assert.Equal("gold", gold.Name);
        Assert.Equal(
            [BattleOutcome.Tie, BattleOutcome.ModelAWins, BattleOutcome.ModelBWins, BattleOutcome.Tie],
            battles.Select(b => b.Outcome));
        Assert.All(battles, b => Assert.Equal(("gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", 2.5f), (b.ModelA, b.ModelB, b.Weight)));
        Assert.Equal("Only the strong model right?", battles[1].Prompt);
        Assert.Throws<ArgumentOutOfRangeException>(() => gold.ToBattles(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => gold.ToBattles(float.NaN));
    }

    [Fact]
    public void Benchmarks_are_loaded_by_name_and_bad_arguments_are_rejected()
    {
        Assert.Equal(3, BenchmarkLoader.Load("mt-bench", DataFixtures.Tree).Prompts.Count);
        Assert.Contains("mmlu, mt-bench, gsm8k", Assert.Throws<ArgumentException>(() => BenchmarkLoader.Load("hellaswag", DataFixtures.Tree)).Message);
        Assert.Throws<ArgumentException>(() => BenchmarkLoader.LoadMmlu(DataFixtures.Tree, "mixtral-8x7b-instruct-v0.1", "mistralai/Mixtral-8x7B-Instruct-v0.1"));
        Assert.Contains("routellm data pull", Assert.Throws<FileNotFoundException>(() => BenchmarkLoader.LoadMmlu(Folder.Path)).Message);
    }

    private string CopyOfTree() => Folder.CopyTree(DataFixtures.Tree, "tree");
}
