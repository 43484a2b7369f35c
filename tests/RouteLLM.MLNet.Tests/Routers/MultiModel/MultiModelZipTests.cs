using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MultiModel;

public sealed class MultiModelZipTests
{
    private static readonly PlantedScores Data = PlantedScores.Create(prompts: 120, seed: 3);

    public static TheoryData<string> Kinds => ["mf", "sw"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Routers_trained_on_scores_round_trip_bit_for_bit(string kind)
    {
        var set = TrainingSet.FromScores(Data.Scores, Data.Embeddings);
        RouterModel model = kind == "mf" ? MultiModelTrainingTests.TrainMatrixFactorization(set) : MultiModelTrainingTests.TrainSimilarityWeighted(set);
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);

        Assert.Contains(MultiModelQualities.Entry, loaded.Manifest.EntryDigests.Keys);
        Assert.Contains(PromptCostModel.Entry, loaded.Manifest.EntryDigests.Keys);
        var (prompts, embeddings, _) = Data.HeldOut(25, seed: 4);
        var before = model.PredictQualities(prompts, embeddings);
        var after = loaded.PredictQualities(prompts, embeddings);
        Assert.Equal(before.Models, after.Models);
        Assert.Equal(before.Quality, after.Quality);
        Assert.Equal(before.CostUsd, after.CostUsd);
    }

    [Theory]
    [InlineData("mf.zip")]
    [InlineData("sw.zip")]
    public void Committed_two_model_routers_load_and_save_unchanged_and_predict_every_model(string file)
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "artifacts", file);
        var original = File.ReadAllBytes(path);

        var model = RouterZip.Read(new MemoryStream(original), path);
        using var saved = new MemoryStream();
        RouterZip.Write(model, saved);

        // The same bytes out as in: no new entry, no changed parameter, so the pair scores exactly as before.
        Assert.Equal(original, saved.ToArray());
        Assert.Equal(model.Manifest.Models, model.QualityModels);
        var dimension = model.Manifest.Embedder!.Dimension;
        var embedding = Enumerable.Range(0, dimension).Select(i => MathF.Sin(i + 1f)).ToArray();
        var predictions = model.PredictQualities(["a prompt"], embedding);
        Assert.Null(predictions.CostUsd);
        Assert.Equal(0.5f, predictions.QualityRow(0)[model.QualityModels.ToList().IndexOf(model.Manifest.StrongModel)], 6);
    }

    [Fact]
    public void Random_router_draws_each_model_uniformly_and_reproducibly()
    {
        var models = Enumerable.Range(0, 20).Select(i => $"m{i:00}").ToArray();
        var router = new RandomRouterModel(new RouterManifest { Kind = "random", Assembly = "RouteLLM.MLNet", StrongModel = "m00", WeakModel = "m01", Models = models }, seed: 7);
        var prompts = Enumerable.Range(0, 500).Select(i => $"prompt {i}").ToArray();

        var first = router.PredictQualities(prompts, []);
        var second = router.PredictQualities(prompts, []);

        Assert.Equal(models, first.Models);
        Assert.Equal(first.Quality, second.Quality);
        Assert.All(first.Quality, q => Assert.InRange(q, 0f, 1f));
        Assert.InRange(first.Quality.Average(), 0.47, 0.53);
        var winners = Enumerable.Range(0, prompts.Length).Select(p => first.QualityRow(p).IndexOf(MaxOf(first.QualityRow(p)))).Distinct().Count();
        Assert.Equal(models.Length, winners);
    }

    private static float MaxOf(ReadOnlySpan<float> values)
    {
        var max = float.MinValue;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }
}
