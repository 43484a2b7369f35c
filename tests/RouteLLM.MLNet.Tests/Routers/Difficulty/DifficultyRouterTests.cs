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

    // Twin sentences with two lettered options; one model always answers A, one always B, one knows the answer. A twin in
    // the same order has the other correct letter, a twin in swapped order the same one: only the options' order tells
    // whether the biased models' outcomes on the twin carry over to the prompt or flip.
    [Fact]
    public void Twins_outcomes_carry_over_or_flip_with_the_order_of_their_answer_options()
    {
        var twins = PlantedTwins();
        var (predicted, embeddings) = AssertBiasedModelsPredicted(twins, twins.HeldOut);

        using var directory = new TemporaryDirectory();
        var path = Path.Combine(directory.Path, "difficulty.zip");
        RouterZip.Save(twins.Model, path);
        Assert.Equal(predicted.Quality, RouterZip.Load(path).PredictQualities([.. twins.HeldOut.Select(h => h.Prompt)], embeddings).Quality);
    }

    // A prompt is not its own twin: read as one in the same order, its own outcome would be flipped like a moved letter's.
    [Fact]
    public void A_training_prompt_met_again_is_predicted_from_its_twin_not_from_itself()
    {
        var twins = PlantedTwins();
        AssertBiasedModelsPredicted(twins, twins.Trained);
    }

    private static (ModelPredictions Predicted, float[] Embeddings) AssertBiasedModelsPredicted(
        PlantedTwinRouter twins,
        List<(string Prompt, char Correct)> cases)
    {
        var prompts = cases.Select(c => c.Prompt).ToList();
        var embeddings = prompts.SelectMany(p => twins.Vectors[p]).ToArray();
        var predicted = twins.Model.PredictQualities(prompts, embeddings);
        var (a, b) = (predicted.Models.ToList().IndexOf("always-a"), predicted.Models.ToList().IndexOf("always-b"));
        for (var i = 0; i < cases.Count; i++)
        {
            var row = predicted.QualityRow(i);
            var (right, wrong) = cases[i].Correct == 'A' ? (row[a], row[b]) : (row[b], row[a]);
            Assert.True(right > 0.8 && wrong < 0.2, $"{prompts[i]}: correct {cases[i].Correct}, predicted {right} for the model answering it and {wrong} for the other");
        }

        return (predicted, embeddings);
    }

    private static PlantedTwinRouter PlantedTwins()
    {
        const int pairs = 200, heldOut = 50, dimension = 16;
        var embedder = new EmbedderInfo("planted-twins", dimension);
        var random = new Random(11);
        var scores = new List<ScoredPrompt>();
        var vectors = new Dictionary<string, float[]>();
        List<(string Prompt, char Correct)> held = [], trained = [];
        for (var j = 0; j < pairs; j++)
        {
            var direction = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var firstCorrect = random.Next(2) == 0 ? 'A' : 'B';
            var swapped = random.Next(2) == 0;
            for (var member = 0; member < 2; member++)
            {
                var (optionA, optionB) = member == 1 && swapped ? ($"second {j}", $"first {j}") : ($"first {j}", $"second {j}");
                var correct = member == 0 || swapped ? firstCorrect : (firstCorrect == 'A' ? 'B' : 'A');
                var prompt = $"Sentence {j}, version {member}: _ did it.\nA) {optionA}\nB) {optionB}\nAnswer:";
                vectors[prompt] = [.. direction.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.05f)];
                if (member == 1 && j < heldOut)
                {
                    held.Add((prompt, correct));
                    continue;
                }

                if (j >= heldOut)
                {
                    trained.Add((prompt, correct));
                }

                scores.Add(new ScoredPrompt(prompt,
                    new Dictionary<string, double> { ["always-a"] = correct == 'A' ? 1 : 0, ["always-b"] = correct == 'B' ? 1 : 0, ["solver"] = random.NextDouble() < 0.9 ? 1 : 0 },
                    new Dictionary<string, double> { ["always-a"] = 0.001, ["always-b"] = 0.001, ["solver"] = 0.01 }));
            }
        }

        var model = new MLContext(seed: 1).Routing().Trainers.Difficulty(new DifficultyRouterTrainer.Options
        {
            Embedder = embedder, StrongModel = "solver", WeakModel = "always-a", DeviationWeight = 0, TwinWeight = 1,
        }).Train(TrainingSet.FromScores(scores, new PromptEmbeddingTable(embedder, vectors)));
        return new PlantedTwinRouter(model, vectors, held, trained);
    }

    private sealed record PlantedTwinRouter(
        DifficultyRouterModel Model, Dictionary<string, float[]> Vectors, List<(string Prompt, char Correct)> HeldOut, List<(string Prompt, char Correct)> Trained);
}
