using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Difficulty;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.Difficulty;

public sealed class DifficultyRouterTests
{
    private static readonly EmbedderInfo Embedder = new("planted", 3);

    // The ease is planted in the first embedding dimension; the weak model follows it four times as steeply as the strong one.
    private static (List<ScoredPrompt> Scores, PromptEmbeddingTable Table) Planted(int prompts)
    {
        var random = new Random(7);
        var scores = new List<ScoredPrompt>();
        var vectors = new Dictionary<string, float[]>();
        for (var p = 0; p < prompts; p++)
        {
            var ease = random.NextDouble() * 2 - 1;
            var prompt = $"prompt {p}";
            vectors[prompt] = [(float)ease, (float)random.NextDouble(), 1];
            double Draw(double chance) => random.NextDouble() < chance ? 1 : 0;
            scores.Add(new ScoredPrompt(prompt,
                new Dictionary<string, double> { ["strong"] = Draw(0.8 + 0.1 * ease), ["weak"] = Draw(0.5 + 0.4 * ease) },
                new Dictionary<string, double> { ["strong"] = 0.01, ["weak"] = 0.001 }));
        }

        return (scores, new PromptEmbeddingTable(Embedder, vectors));
    }

    private static DifficultyRouterModel Train(TrainingSet set) =>
        new MLContext(seed: 1).Routing().Trainers.Difficulty(new DifficultyRouterTrainer.Options { Embedder = Embedder, StrongModel = "strong", WeakModel = "weak" }).Train(set);

    [Fact]
    public void Recovers_the_planted_ease_and_which_model_follows_it()
    {
        var (scores, table) = Planted(2_000);
        var model = Train(TrainingSet.FromScores(scores, table));
        var (easy, hard) = (model.PredictEase([1, 0.5f, 1]), model.PredictEase([-1, 0.5f, 1]));
        Assert.True(easy > 0 && hard < 0 && easy - hard > 0.1, $"ease {easy} of an easy prompt, {hard} of a hard one");
        Assert.True(model.Loading("weak") > model.Loading("strong"), "the weak model follows the ease more steeply");
        Assert.InRange(model.MeanScore("strong"), 0.75, 0.85);
        Assert.InRange(model.MeanScore("weak"), 0.45, 0.55);
    }

    [Fact]
    public void Zero_weights_predict_the_per_model_means_and_a_saved_router_predicts_the_same()
    {
        var (scores, table) = Planted(300);
        var model = Train(TrainingSet.FromScores(scores, table));
        var constants = model.WithWeights(0, 0).PredictQualities(["q"], [1, 0.5f, 1]);
        Assert.Equal((float)model.MeanScore("strong"), constants.QualityRow(0)[0], 5);

        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "difficulty.zip");
        RouterZip.Save(model, path);
        var loaded = Assert.IsType<DifficultyRouterModel>(RouterZip.Load(path));
        float[] query = [0.7f, 0.2f, 1];
        Assert.Equal(model.PredictQualities(["q"], query).Quality, loaded.PredictQualities(["q"], query).Quality);
        Assert.Equal(model.DeviationWeight, loaded.DeviationWeight);
    }
}
