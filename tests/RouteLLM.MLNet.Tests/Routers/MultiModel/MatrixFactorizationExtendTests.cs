using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class MatrixFactorizationExtendTests
{
    private static PlantedScores Data => MultiModelTrainingTests.Data;

    [Fact]
    public void Extending_a_pair_router_keeps_its_pair_bit_for_bit_and_learns_the_planted_best_model_of_the_others()
    {
        var pair = MultiModelTrainingTests.TrainMatrixFactorization(TrainingSet.FromScores(ScoresOf(["pos", "bad"]), Data.Embeddings));

        var extended = Train(TrainingSet.FromScores(Data.Scores, Data.Embeddings), pair);

        Assert.Equal(PlantedScores.Models.Order(StringComparer.Ordinal), extended.Manifest.Models);
        var (prompts, embeddings, _) = Data.HeldOut(50, seed: 8);
        Assert.Equal(WinRates(pair, prompts, embeddings), WinRates(extended, prompts, embeddings));
        Assert.Equal(pair.Projection.ToArray(), extended.Projection.ToArray());
        Assert.Equal(pair.Classifier.ToArray(), extended.Classifier.ToArray());
        Assert.Equal(pair.Dimension * (PlantedScores.Embedder.Dimension + 3), extended.Manifest.TrainingMetrics["frozen_parameters"]);
        Assert.Equal(2 * pair.TrainingPrompts!.Count, extended.TrainingPrompts!.Count);

        // "neg" (slope −2), "flat" and "mild" were never in the pair: only their vectors, fitted in the pair's
        // projection, can make them the pick where they are truly best.
        var (accuracy, _) = MultiModelTrainingTests.Measure(extended);
        Assert.True(accuracy > 0.75, $"picked the truly best model on {accuracy:P0} of held-out prompts");
        var (pairAccuracy, _) = MultiModelTrainingTests.Measure(MultiModelTrainingTests.TrainMatrixFactorization(TrainingSet.FromScores(Data.Scores, Data.Embeddings)));
        Assert.True(accuracy > pairAccuracy - 0.1, $"extended {accuracy:P0}, trained from scratch {pairAccuracy:P0}");
    }

    [Fact]
    public void Extending_with_data_that_lacks_a_model_of_the_extended_router_names_the_model()
    {
        var pair = MultiModelTrainingTests.TrainMatrixFactorization(TrainingSet.FromScores(ScoresOf(["pos", "bad"]), Data.Embeddings));

        var error = Assert.Throws<ArgumentException>(() => Train(TrainingSet.FromScores(ScoresOf(["pos", "neg", "flat"]), Data.Embeddings), pair));

        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_a_router_of_another_dimension_is_refused()
    {
        var pair = MultiModelTrainingTests.TrainMatrixFactorization(TrainingSet.FromScores(ScoresOf(["pos", "bad"]), Data.Embeddings));

        var error = Assert.Throws<ArgumentException>(() => Train(TrainingSet.FromScores(Data.Scores, Data.Embeddings), pair, dimension: 8));

        Assert.Contains("dimension 16", error.Message, StringComparison.Ordinal);
    }

    private static MatrixFactorizationRouterModel Train(TrainingSet trainingSet, MatrixFactorizationRouterModel extend, int dimension = 16) =>
        new MLContext(seed: 1).Routing().Trainers.MatrixFactorization(new MatrixFactorizationRouterTrainer.Options
        {
            Embedder = PlantedScores.Embedder,
            StrongModel = "pos",
            WeakModel = "bad",
            Dimension = dimension,
            LearningRate = 0.01f,
            NoiseStandardDeviation = 0,
            MaxEpochs = 60,
            Seed = 6,
            Extend = extend,
        }).Train(trainingSet);

    internal static List<ScoredPrompt> ScoresOf(string[] models) =>
        [.. Data.Scores.Select(s => s with
        {
            Scores = s.Scores.Where(p => models.Contains(p.Key)).ToDictionary(),
            CostsUsd = s.CostsUsd.Where(p => models.Contains(p.Key)).ToDictionary(),
        })];

    internal static float[] WinRates(RouterModel model, string[] prompts, float[] embeddings)
    {
        var rates = new float[prompts.Length];
        model.CalculateStrongWinRates(prompts, embeddings, rates);
        return rates;
    }
}
