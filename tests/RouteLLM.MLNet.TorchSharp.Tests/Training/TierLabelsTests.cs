using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.TorchSharp.Training;

namespace RouteLLM.MLNet.TorchSharp.Tests.Training;

public sealed class TierLabelsTests
{
    private static readonly HashSet<string> Strong = ["gpt-4-1106-preview", "gpt-4-0613"];
    private static readonly HashSet<string> Weak = ["mixtral-8x7b-instruct-v0.1"];

    private static TrainingSet Read(params Battle[] battles)
    {
        var ml = new MLContext(seed: 1);
        var options = new BertRouterTrainer.Options();
        return TrainingSet.Read(ml.Routing().LoadBattles(battles), options, readEmbeddings: false);
    }

    [Fact]
    public void Battles_are_oriented_strong_against_weak_and_summed_per_prompt_by_weight()
    {
        var set = Read(
            new("p", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins, 2f), // strong wins, 2
            new("p", "mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-0613", BattleOutcome.ModelAWins),    // weak wins, 1 (alias)
            new("p", "mixtral-8x7b-instruct-v0.1", "gpt-4-0613", BattleOutcome.ModelBWins, 0.5f),        // strong wins, 0.5
            new("q", "gpt-4-0613", "mixtral-8x7b-instruct-v0.1", BattleOutcome.Tie, 3f),                 // tie, 3
            new("q", "gpt-4-0613", "gpt-4-1106-preview", BattleOutcome.ModelAWins),                      // both strong: skipped
            new("r", "claude-2", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins),                // outsider: skipped
            new("s", "gpt-4-0613", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins, 0f));         // no weight: prompt dropped

        var labels = TierLabels.Build(set, Strong, Weak);

        Assert.Equal(5, labels.BattlesUsed);
        Assert.Equal(2, labels.BattlesSkipped);
        Assert.Equal(["p", "q"], labels.Prompts.Select(p => set.Prompts[p.Prompt]));
        Assert.Equal([2.5f, 0f, 1f], labels.Prompts[0].Counts);
        Assert.Equal([0f, 3f, 0f], labels.Prompts[1].Counts);
    }

    [Fact]
    public void Balanced_class_weights_give_both_sides_the_same_total_and_leave_ties_at_one()
    {
        LabelledPrompt[] prompts = [new(0, [6f, 1f, 0f]), new(1, [2f, 5f, 2f])];

        // Strong wins 8, weak wins 2 of 10: 10 / (2 × 8) and 10 / (2 × 2).
        Assert.Equal([0.625f, 1f, 2.5f], TierLabels.BalancedClassWeights(prompts));
        Assert.Equal([1f, 1f, 0f], TierLabels.BalancedClassWeights([new LabelledPrompt(0, [3f, 4f, 0f])]));
    }
}
