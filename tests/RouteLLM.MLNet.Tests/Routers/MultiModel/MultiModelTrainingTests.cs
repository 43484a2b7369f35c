using RouteLLM.MLNet.Embeddings;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class MultiModelTrainingTests
{
    internal static readonly PlantedScores Data = PlantedScores.Create(prompts: 600);

    internal static MatrixFactorizationRouterModel TrainMatrixFactorization(TrainingSet trainingSet) =>
        new MLContext(seed: 1).Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = PlantedScores.Embedder,
            StrongModel = "pos",
            WeakModel = "bad",
            Dimension = 16,
            LearningRate = 0.01f,
            NoiseStandardDeviation = 0,
            MaxEpochs = 60,
            Seed = 5,
        }).Train(trainingSet);

    internal static SimilarityWeightedRouterModel TrainSimilarityWeighted(TrainingSet trainingSet) =>
        new MLContext(seed: 1).Routing().Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = PlantedScores.Embedder,
            StrongModel = "pos",
            WeakModel = "bad",
            Tiers = 5,
            MinPromptLength = 0,
            Neighbours = 30,
        }).Train(trainingSet);

    [Fact]
    public void Matrix_factorization_trained_on_scores_picks_the_planted_best_model_per_prompt()
    {
        var model = TrainMatrixFactorization(TrainingSet.FromScores(Data.Scores, Data.Embeddings));

        Assert.True(model.Qualities.Pointwise);
        Assert.Equal(PlantedScores.Models.Order(StringComparer.Ordinal), model.QualityModels);
        var (accuracy, calibration) = Measure(model);
        Assert.True(accuracy > 0.75, $"picked the truly best model on {accuracy:P0} of held-out prompts");
        Assert.True(calibration < 0.06, $"mean |predicted − true P(correct)| is {calibration:F3}");
    }

    [Fact]
    public void Similarity_weighted_router_trained_on_scores_picks_the_planted_best_model_per_prompt()
    {
        var model = TrainSimilarityWeighted(TrainingSet.FromScores(Data.Scores, Data.Embeddings));

        Assert.True(model.Qualities.Pointwise);
        var (accuracy, calibration) = Measure(model);
        Assert.True(accuracy > 0.55, $"picked the truly best model on {accuracy:P0} of held-out prompts");
        Assert.True(calibration < 0.1, $"mean |predicted − true P(correct)| is {calibration:F3}");
    }

    [Fact]
    public void Costs_are_learned_from_the_real_per_call_costs()
    {
        var model = TrainMatrixFactorization(TrainingSet.FromScores(Data.Scores, Data.Embeddings));
        string[] prompts = ["short", new string('x', 300)];

        var predictions = model.PredictQualities(prompts, new float[2 * PlantedScores.Embedder.Dimension]);

        Assert.NotNull(predictions.CostUsd);
        for (var p = 0; p < prompts.Length; p++)
        {
            for (var m = 0; m < predictions.Models.Count; m++)
            {
                var expected = PlantedScores.Cost(Array.IndexOf(PlantedScores.Models, predictions.Models[m]), prompts[p]);
                Assert.Equal(expected, predictions.CostRow(p)[m], 6);
            }
        }
    }

    [Fact]
    public void Routers_trained_on_battles_alone_learn_no_costs_and_rate_the_strong_model_one_half()
    {
        var withBattlesOnly = TrainingSet.FromScores(Data.Scores, Data.Embeddings).ScoresAsBattles();

        foreach (RouterModel model in new RouterModel[] { TrainMatrixFactorization(withBattlesOnly), TrainSimilarityWeighted(withBattlesOnly) })
        {
            var (prompts, embeddings, _) = Data.HeldOut(20, seed: 9);
            var predictions = model.PredictQualities(prompts, embeddings);
            var pair = new float[prompts.Length];
            model.CalculateStrongWinRates(prompts, embeddings, pair);
            var strong = predictions.Models.ToList().IndexOf("pos");
            var weak = predictions.Models.ToList().IndexOf("bad");

            Assert.Null(predictions.CostUsd);
            for (var p = 0; p < prompts.Length; p++)
            {
                Assert.Equal(0.5f, predictions.QualityRow(p)[strong], 6);
                Assert.Equal(1 - pair[p], predictions.QualityRow(p)[weak], 5);
            }
        }
    }

    [Fact]
    public void Scores_and_battles_meet_on_shared_prompts_and_canonical_model_names()
    {
        var scores = new[]
        {
            new ScoredPrompt("p1", new Dictionary<string, double> { ["mistralai/Mixtral-8x7B-Instruct-v0.1"] = 1, ["gpt-4-1106-preview"] = 0 }, new Dictionary<string, double>()),
            new ScoredPrompt("p2", new Dictionary<string, double> { ["gpt-4-1106-preview"] = 1 }, new Dictionary<string, double>()),
        };
        var embeddings = new RouteLLM.MLNet.Routers.ModelSelection.PromptEmbeddingTable(
            new EmbedderInfo("e", 2), new Dictionary<string, float[]> { ["p1"] = [1, 0], ["p2"] = [0, 1] });

        var set = TrainingSet.FromScores(scores, embeddings);

        Assert.Equal(["gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1"], set.Models);
        Assert.Equal(["p1", "p2"], set.Prompts);
        Assert.Equal(
            [new TrainingScore(0, 1, 1, float.NaN), new TrainingScore(0, 0, 0, float.NaN), new TrainingScore(1, 0, 1, float.NaN)],
            set.Scores);
        var battle = Assert.Single(set.ScoresAsBattles().Battles);
        Assert.Equal(new TrainingBattle(0, 1, 0, 1f, 1f), battle);
    }

    [Fact]
    public void A_score_outside_zero_to_one_names_the_row_and_model()
    {
        var scores = new[] { new ScoredPrompt("p1", new Dictionary<string, double> { ["a"] = 7 }, new Dictionary<string, double>()) };
        var embeddings = new RouteLLM.MLNet.Routers.ModelSelection.PromptEmbeddingTable(new EmbedderInfo("e", 2), new Dictionary<string, float[]> { ["p1"] = [1, 0] });

        var error = Assert.Throws<ArgumentException>(() => TrainingSet.FromScores(scores, embeddings));

        Assert.Contains("Scored prompt 1: model 'a' has score 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_single_model_is_best_on_more_than_two_fifths_of_the_planted_prompts()
    {
        var (prompts, _, truth) = Data.HeldOut(300, seed: 42);

        var largestShare = truth.GroupBy(t => Array.IndexOf(t, t.Max())).Max(g => g.Count()) / (double)prompts.Length;

        // So that the accuracies above (0.75, 0.55) can only come from reading the prompt.
        Assert.True(largestShare < 0.4, $"one model is best on {largestShare:P0}");
    }

    internal static (double Accuracy, double Calibration) Measure(RouterModel model)
    {
        var (prompts, embeddings, truth) = Data.HeldOut(300, seed: 42);
        var predictions = model.PredictQualities(prompts, embeddings);
        var columns = PlantedScores.Models.Select(m => predictions.Models.ToList().IndexOf(m)).ToArray();
        double hits = 0, error = 0;
        for (var p = 0; p < prompts.Length; p++)
        {
            var row = predictions.QualityRow(p).ToArray();
            var predicted = Enumerable.Range(0, columns.Length).MaxBy(i => row[columns[i]]);
            var best = Enumerable.Range(0, columns.Length).MaxBy(i => truth[p][i]);
            hits += predicted == best ? 1 : 0;
            error += Enumerable.Range(0, columns.Length).Average(i => Math.Abs(row[columns[i]] - truth[p][i]));
        }

        return (hits / prompts.Length, error / prompts.Length);
    }
}
