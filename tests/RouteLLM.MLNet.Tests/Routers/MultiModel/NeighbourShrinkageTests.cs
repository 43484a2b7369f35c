using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class NeighbourShrinkageTests
{
    private static readonly double[] BlindQualities = [0.8, 0.5, 0.2];

    [Fact]
    public void Scores_that_do_not_depend_on_the_prompt_shrink_to_each_models_training_mean()
    {
        var (scores, embeddings) = Blind(prompts: 400, seed: 7);
        var model = Train(TrainingSet.FromScores(scores, embeddings), shrinkage: null);

        Assert.True(model.Manifest.TrainingMetrics["shrinkage"] >= 100, $"leave-one-out chose {model.Manifest.TrainingMetrics["shrinkage"]}");
        var means = Enumerable.Range(0, 3).Select(m => scores.Average(s => s.Scores[$"m{m}"])).ToArray();
        var (heldOut, heldOutEmbeddings) = Blind(prompts: 50, seed: 8);
        var predictions = model.PredictQualities([.. heldOut.Select(s => s.Prompt)], [.. heldOut.SelectMany(s => heldOutEmbeddings[s.Prompt].ToArray())]);
        for (var p = 0; p < heldOut.Count; p++)
        {
            for (var m = 0; m < 3; m++)
            {
                Assert.InRange(predictions.QualityRow(p)[m], means[m] - 0.03, means[m] + 0.03);
            }
        }
    }

    [Fact]
    public void Scores_planted_in_the_prompt_keep_the_neighbours()
    {
        var data = PlantedScores.Create(prompts: 600);
        var model = MultiModelTrainingTests.TrainSimilarityWeighted(TrainingSet.FromScores(data.Scores, data.Embeddings));

        Assert.True(model.Manifest.TrainingMetrics["shrinkage"] <= 30, $"leave-one-out chose {model.Manifest.TrainingMetrics["shrinkage"]}");
    }

    [Fact]
    public void An_explicit_shrinkage_is_kept_and_a_negative_one_is_refused()
    {
        var (scores, embeddings) = Blind(prompts: 60, seed: 9);
        var set = TrainingSet.FromScores(scores, embeddings);

        Assert.Equal(3, Train(set, shrinkage: 3).Manifest.TrainingMetrics["shrinkage"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Train(set, shrinkage: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Train(set, shrinkage: double.PositiveInfinity));
    }

    private static SimilarityWeightedRouterModel Train(TrainingSet set, double? shrinkage) =>
        new MLContext(seed: 1).Routing().Trainers.SimilarityWeighted(new SimilarityWeightedRouterTrainer.Options
        {
            Embedder = PlantedScores.Embedder,
            StrongModel = "m0",
            WeakModel = "m2",
            Tiers = 3,
            MinPromptLength = 0,
            Neighbours = 10,
            Shrinkage = shrinkage,
        }).Train(set);

    /// <summary>Three models correct with fixed probabilities whatever the prompt: the neighbours carry only noise.</summary>
    private static (List<ScoredPrompt> Scores, PromptEmbeddingTable Embeddings) Blind(int prompts, int seed)
    {
        var random = new Random(seed);
        var vectors = new Dictionary<string, float[]>();
        var scores = new List<ScoredPrompt>();
        for (var p = 0; p < prompts; p++)
        {
            var prompt = $"blind {seed}-{p}";
            vectors[prompt] = [.. Enumerable.Range(0, PlantedScores.Embedder.Dimension).Select(_ => (float)(random.NextDouble() - 0.5))];
            scores.Add(new ScoredPrompt(
                prompt,
                Enumerable.Range(0, 3).ToDictionary(m => $"m{m}", m => random.NextDouble() < BlindQualities[m] ? 1.0 : 0.0),
                Enumerable.Range(0, 3).ToDictionary(m => $"m{m}", m => 0.001 * (m + 1))));
        }

        return (scores, new PromptEmbeddingTable(PlantedScores.Embedder, vectors));
    }
}
