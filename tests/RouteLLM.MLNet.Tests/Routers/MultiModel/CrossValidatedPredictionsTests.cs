using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class CrossValidatedPredictionsTests
{
    [Fact]
    public void Every_prompt_is_predicted_by_the_one_fold_router_that_never_saw_it()
    {
        var data = PlantedScores.Create(prompts: 300, seed: 11);
        var scores = data.Scores.Concat([data.Scores[0]]).ToList(); // a repeated prompt must stay in one fold
        var trainedOn = new List<HashSet<string>>();
        var routers = new List<RouterModel>();

        var pooled = CrossValidatedPredictions.Predict(scores, data.Embeddings, set =>
        {
            trainedOn.Add([.. set.Prompts]);
            var router = MultiModelTrainingTests.TrainMatrixFactorization(set);
            routers.Add(router);
            return router;
        }, folds: 3, seed: 2);

        Assert.Equal(3, trainedOn.Count);
        Assert.Equal(scores.Count, pooled.PromptCount);
        Assert.Equal(PlantedScores.Models.Order(StringComparer.Ordinal), pooled.Models);
        for (var i = 0; i < scores.Count; i++)
        {
            var prompt = scores[i].Prompt;
            var unseen = Assert.Single(Enumerable.Range(0, 3), f => !trainedOn[f].Contains(prompt));
            var own = routers[unseen].PredictQualities([prompt], data.Embeddings.Gather([prompt]));
            Assert.Equal(own.QualityRow(0).ToArray(), pooled.QualityRow(i).ToArray());
            Assert.Equal(own.CostRow(0).ToArray(), pooled.CostRow(i).ToArray());
        }
    }

    [Fact]
    public void Fewer_prompts_than_folds_is_a_clear_error()
    {
        var data = PlantedScores.Create(prompts: 2, seed: 12);

        var error = Assert.Throws<ArgumentException>(() =>
            CrossValidatedPredictions.Predict(data.Scores, data.Embeddings, MultiModelTrainingTests.TrainMatrixFactorization, folds: 5));

        Assert.Contains("2 distinct prompts cannot fill 5 folds", error.Message, StringComparison.Ordinal);
    }
}
