using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.MLNet.Tests.Routers.MatrixFactorization;
using RouteLLM.MLNet.Tests.Routers.MultiModel;
using RouteLLM.MLNet.Tests.Routers.SimilarityWeighted;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers;

/// <summary>Every router kind of this package survives its zip bit for bit: the same bytes when saved again, the same scores.</summary>
public sealed class RouterZipRoundTripTests
{
    private static readonly PlantedScores MultiModelData = PlantedScores.Create(prompts: 120, seed: 3);

    [Fact]
    public async Task Random_router_gives_identical_scores_and_bytes()
    {
        var model = RandomRouterTests.Train(seed: 3);
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);
        var prompts = new[] { "a", "b", "Hello, world" };
        Assert.Equal(await new RouterScorer(model).StrongWinRatesAsync(prompts), await new RouterScorer(loaded).StrongWinRatesAsync(prompts));
    }

    [Fact]
    public void Matrix_factorization_router_gives_bit_identical_scores_and_bytes()
    {
        var (data, model) = (MatrixFactorizationRouterModelTests.Data, MatrixFactorizationRouterModelTests.Model);
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);

        Assert.Equal(MatrixFactorizationTestData.Score(model, data.Embeddings, data.Prompts), MatrixFactorizationTestData.Score(loaded, data.Embeddings, data.Prompts));
        Assert.Equal(model.Manifest.TrainingMetrics, loaded.Manifest.TrainingMetrics);
        Assert.Equal(model.TrainingPrompts!.Values.ToArray(), loaded.TrainingPrompts!.Values.ToArray());
        Assert.Equal(data.Prompts.Count, loaded.TrainingPrompts.Count);
    }

    [Fact]
    public void Similarity_weighted_router_keeps_scores_and_bytes_identical()
    {
        var model = SimilarityWeightedRouterTests.Train(SimilarityWeightedRouterTests.PullBattles());
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);

        var embed = SimilarityWeightedRouterTests.Embed;
        var queries = new[] { "an unseen query about cooking", SimilarityWeightedRouterTests.Prompts[0], SimilarityWeightedRouterTests.Prompts[7] };
        var embeddings = queries.SelectMany(embed).ToArray();
        var before = new float[3];
        var after = new float[3];
        model.CalculateStrongWinRates(queries, embeddings, before);
        loaded.CalculateStrongWinRates(queries, embeddings, after);
        Assert.Equal(before, after);
        Assert.Equal(model.TierRatings(embed(queries[0])), loaded.TierRatings(embed(queries[0])));
        Assert.Equal(model.ModelTiers, loaded.ModelTiers);
        Assert.Equal(model.TrainingPrompts!.Values.ToArray(), loaded.TrainingPrompts!.Values.ToArray());
    }

    public static TheoryData<string> MultiModelKinds => ["mf", "sw"];

    [Theory]
    [MemberData(nameof(MultiModelKinds))]
    public void Multi_model_routers_trained_on_scores_round_trip_bit_for_bit(string kind)
    {
        var set = TrainingSet.FromScores(MultiModelData.Scores, MultiModelData.Embeddings);
        RouterModel model = kind == "mf" ? MultiModelTrainingTests.TrainMatrixFactorization(set) : MultiModelTrainingTests.TrainSimilarityWeighted(set);
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);

        Assert.Contains(MultiModelQualities.Entry, loaded.Manifest.EntryDigests.Keys);
        Assert.Contains(PromptCostModel.Entry, loaded.Manifest.EntryDigests.Keys);
        var (prompts, embeddings, _) = MultiModelData.HeldOut(25, seed: 4);
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
}
