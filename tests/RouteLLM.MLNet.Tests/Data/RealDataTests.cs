using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Data;

/// <summary>
/// The loaders on the real public files (<see cref="SharedData"/>). The expected figures were measured once with these
/// loaders and agree with pandas reading the same files the way RouteLLM's <c>benchmarks.py</c> does.
/// </summary>
public sealed class RealDataTests
{
    [SkippableFact]
    public void Mmlu_has_14042_rows_in_57_subjects_and_routellm_accuracies()
    {
        var layout = new DataLayout(SharedData.RequireDirectory());

        var mmlu = BenchmarkLoader.LoadMmlu(layout.Root);
        var kept = mmlu.Prompts.Where(p => !mmlu.ContaminatedPrompts.Contains(p.Prompt)).ToList();

        Assert.Equal(57, Directory.GetFiles(layout.MmluResponses, "mmlu_*.csv").Length);
        Assert.Equal(14_042, mmlu.Prompts.Count);
        Assert.Equal(14_042 - 105, mmlu.Prompts.Select(p => p.Prompt).Distinct().Count());
        Assert.StartsWith("This question refers to the following information.", mmlu.Prompts[0].Prompt); // high_school_european_history first
        Assert.Equal((11_315, 9_560), (mmlu.Prompts.Sum(p => p.StrongQuality), mmlu.Prompts.Sum(p => p.WeakQuality)));
        Assert.Equal(5, mmlu.ContaminatedPrompts.Count);
        Assert.Equal(14_037, kept.Count);
        Assert.Equal((11_312, 9_558), (kept.Sum(p => p.StrongQuality), kept.Sum(p => p.WeakQuality)));
        Assert.Empty(mmlu.Skipped);
    }

    [SkippableFact]
    public void Mt_bench_has_80_questions_72_after_decontamination_and_routellm_mean_grades()
    {
        var mtBench = BenchmarkLoader.LoadMtBench(SharedData.RequireDirectory());
        var kept = mtBench.Prompts.Where(p => !mtBench.ContaminatedPrompts.Contains(p.Prompt)).ToList();

        Assert.Equal(80, mtBench.Prompts.Count);
        Assert.Equal(72, kept.Count);
        Assert.Equal(9.228125, mtBench.Prompts.Average(p => p.StrongQuality), 12);
        Assert.Equal(8.340625, mtBench.Prompts.Average(p => p.WeakQuality), 12);
        Assert.Equal(9.211805555555555, kept.Average(p => p.StrongQuality), 12);
        Assert.Equal(8.28125, kept.Average(p => p.WeakQuality), 12);
        Assert.Empty(mtBench.Skipped);
    }

    [SkippableFact]
    public void Judge_battles_load_all_101356_rows_over_805_prompts_and_100_models()
    {
        var battles = ArenaBattles.Read(new DataLayout(SharedData.RequireDirectory()).Preferences);

        Assert.Equal(101_356, battles.Items.Count);
        Assert.Equal(0, battles.Skipped.Total);
        Assert.Equal((59_965, 41_009, 382), (
            battles.Items.Count(b => b.Outcome == BattleOutcome.ModelAWins),
            battles.Items.Count(b => b.Outcome == BattleOutcome.ModelBWins),
            battles.Items.Count(b => b.Outcome == BattleOutcome.Tie)));
        Assert.Equal(805, battles.Items.Select(b => b.Prompt).Distinct().Count());
        Assert.Equal(100, battles.Items.SelectMany(b => new[] { b.ModelA, b.ModelB }).Distinct().Count());
        Assert.Equal(1_610, battles.Items.Count(b =>
            (b.ModelA, b.ModelB) is (RouteLLMModels.Strong, RouteLLMModels.Weak) or (RouteLLMModels.Weak, RouteLLMModels.Strong)));
        Assert.All(battles.Items, b => Assert.Equal(b.Prompt.Trim(), b.Prompt));
    }

    [SkippableFact]
    public void Gold_has_1501_rows_that_become_263_strong_wins_79_weak_wins_and_1159_ties()
    {
        var gold = BenchmarkLoader.LoadGold(new DataLayout(SharedData.RequireDirectory()).Gold);

        var battles = gold.ToBattles(weight: 1);

        Assert.Equal(1_501, gold.Prompts.Count);
        Assert.Equal((263, 79, 1_159), (
            battles.Count(b => b.Outcome == BattleOutcome.ModelAWins),
            battles.Count(b => b.Outcome == BattleOutcome.ModelBWins),
            battles.Count(b => b.Outcome == BattleOutcome.Tie)));
    }

    [SkippableFact]
    public void The_battles_csv_read_as_a_prompts_file_gives_each_battles_first_turn()
    {
        var layout = new DataLayout(SharedData.RequireDirectory());
        var file = Directory.GetFiles(layout.Preferences, "*.csv").Single();

        var prompts = PromptFile.Read(file);

        Assert.Equal(ArenaBattles.Read(file).Items.Select(b => b.Prompt), prompts.Items);
    }
}
