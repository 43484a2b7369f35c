using RouteLLM.MLNet.Data;
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

    // RouterBench's 11 models as artifacts/training-catalogue.csv names them: the 8 the battles also know under the
    // battles' spelling, the other 3 under RouterBench's.
    private static readonly string[] RouterBenchModels =
    [
        "gpt-4-1106-preview", "gpt-3.5-turbo-1106", "claude", "claude-2", "claude-instant-1.2", "mixtral-8x7b-instruct-v0.1",
        "llama-2-70b-chat", "Yi-34B-Chat", "mistralai/mistral-7b-chat", "WizardLM/WizardLM-13B-V1.2", "meta/code-llama-instruct-34b-chat",
    ];

    [Theory]
    [InlineData("mf.zip")]
    [InlineData("sw.zip")]
    public void Committed_routers_load_and_save_unchanged_and_predict_every_model_they_know(string file)
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "artifacts", file);
        var original = File.ReadAllBytes(path);

        var model = RouterZip.Read(new MemoryStream(original), path);
        using var saved = new MemoryStream();
        RouterZip.Write(model, saved);

        Assert.Equal(original, saved.ToArray());
        Assert.Equal(model.Manifest.Models, model.QualityModels);
        var predictions = model.PredictQualities(["a prompt"], FixedEmbedding(model));
        Assert.Equal(model.Manifest.Models, predictions.Models);
        Assert.All(predictions.Quality, q => Assert.InRange(q, 0f, 1f));
    }

    [Fact]
    public void Committed_mf_router_knows_routerbench_while_its_pair_scores_as_the_gold_router_it_extends()
    {
        var model = RouterZip.Load(Path.Combine(SharedData.RepositoryRoot, "artifacts", "mf.zip"));
        var embedding = FixedEmbedding(model);
        var rate = new float[1];
        model.CalculateStrongWinRates(["a prompt"], embedding, rate);

        Assert.Equal(PairRateBitsOfTheGoldRouter, BitConverter.SingleToInt32Bits(rate[0]));
        Assert.Subset(model.Manifest.Models.ToHashSet(), RouterBenchModels.ToHashSet());
        Assert.Equal(103, model.Manifest.Models.Count);
        Assert.Equal("gpt-4-1106-preview, gpt-3.5-turbo-1106, claude, claude-2, claude-instant-1.2, mixtral-8x7b-instruct-v0.1, llama-2-70b-chat, Yi-34B-Chat",
            model.Manifest.TrainingOptions["catalogue.known_models"]);
        // The gold-alone router that README's first `train mf` command builds (its training data digest): its prompt
        // tower and pair vectors are kept exactly, so MMLU's APGR cannot move.
        Assert.Equal("mf router trained on data 83d2baeebc9a8be5e07a5348f91a39a455ccc1ea048b3f144c61afbe057c52f5", model.Manifest.TrainingOptions["Extend"]);
        // Scores joined the battles, so qualities are σ(δ + b); the battle models carry no per-call costs, so none are
        // learned and a catalogue prices the requests.
        var mf = Assert.IsType<RouteLLM.MLNet.Routers.MatrixFactorization.MatrixFactorizationRouterModel>(model);
        Assert.True(mf.Qualities.Pointwise);
        Assert.Null(model.PredictQualities(["a prompt"], embedding).CostUsd);
    }

    [Fact]
    public void Committed_sw_router_knows_routerbench_while_its_pair_scores_as_the_router_it_extends()
    {
        var model = RouterZip.Load(Path.Combine(SharedData.RepositoryRoot, "artifacts", "sw.zip"));
        var embedding = FixedEmbedding(model);
        var rate = new float[1];
        model.CalculateStrongWinRates(["a prompt"], embedding, rate);

        Assert.Equal(PairRateBitsOfTheSwPairRouter, BitConverter.SingleToInt32Bits(rate[0]));
        Assert.Subset(model.Manifest.Models.ToHashSet(), RouterBenchModels.ToHashSet());
        Assert.Equal(103, model.Manifest.Models.Count);
        // The battles + gold router that README's `train sw` command builds (its training data digest): its training
        // prompts, win table and tiers are kept exactly, so MMLU's APGR cannot move.
        Assert.Equal("sw router trained on data b827415e9a6c0c0ffa6936d85c50ccd45553f26620992fb9782dddc6abbf2636", model.Manifest.TrainingOptions["Extend"]);
        Assert.Equal(3, model.Manifest.TrainingMetrics["models_added"]);
    }

    [SkippableFact]
    public void Committed_routers_know_every_model_of_the_battles()
    {
        var battles = ArenaBattles.Read(new DataLayout(SharedData.RequireDirectory()).Preferences).Items;
        var battleModels = battles.SelectMany(b => new[] { b.ModelA, b.ModelB }).ToHashSet();

        foreach (var file in new[] { "mf.zip", "sw.zip" })
        {
            var model = RouterZip.Load(Path.Combine(SharedData.RepositoryRoot, "artifacts", file));
            Assert.Subset(model.Manifest.Models.ToHashSet(), battleModels);
        }
    }

    // The bits of P(strong wins) that the gold-alone mf.zip (commit 09ecbe1) gave for FixedEmbedding: the extension
    // must not move it by one bit.
    private const int PairRateBitsOfTheGoldRouter = 1062962147;

    // The bits of P(strong wins) that the battles + gold sw.zip (commit d88c663) gave for FixedEmbedding.
    private const int PairRateBitsOfTheSwPairRouter = 1058670718;

    private static float[] FixedEmbedding(RouterModel model) =>
        [.. Enumerable.Range(0, model.Manifest.Embedder!.Dimension).Select(i => MathF.Sin(i + 1f))];
}
