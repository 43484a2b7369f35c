using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.Testing;
using static RouteLLM.MLNet.Tests.Routers.MatrixFactorization.MatrixFactorizationTestData;

namespace RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

public sealed class MatrixFactorizationRouterModelTests
{
    internal static readonly SyntheticBattles Data = SyntheticBattles.Create(promptCount: 80, battleCount: 2000, models: 4, seed: 12);
    internal static readonly MatrixFactorizationRouterModel Model = Train(Data, Options());

    [Fact]
    public void Another_pair_is_scored_as_if_trained_as_the_default_pair()
    {
        var options = Options();
        options.StrongModel = "m02";
        options.WeakModel = "m03";
        var trainedForOtherPair = Train(Data, options);

        var repaired = trainedForOtherPair.WithModels(SyntheticBattles.Strong, SyntheticBattles.Weak);

        Assert.Equal(Score(Model, Data.Embeddings, Data.Prompts), Score(repaired, Data.Embeddings, Data.Prompts));
        Assert.Equal(SyntheticBattles.Strong, repaired.Manifest.StrongModel);
    }

    [Fact]
    public void Swapping_the_pair_mirrors_the_win_rate()
    {
        var forward = Score(Model, Data.Embeddings, Data.Prompts);
        var swapped = Score(Model.WithModels(SyntheticBattles.Weak, SyntheticBattles.Strong), Data.Embeddings, Data.Prompts);

        Assert.Equal(forward.Select(p => 1 - p), swapped, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Unknown_model_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.WithModels("gpt-5", SyntheticBattles.Weak));
        Assert.Contains("gpt-5", error.Message);
    }

    [Fact]
    public void Prompt_scores_the_same_alone_as_in_a_batch()
    {
        var batch = Score(Model, Data.Embeddings, Data.Prompts);
        var alone = Data.Prompts.Select(p => Score(Model, Data.Embeddings, [p])[0]);

        Assert.Equal(batch, alone);
    }

    [Fact]
    public void Wrong_embedding_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Model.CalculateStrongWinRates(["a"], new float[15], new float[1]));
        Assert.Contains("16", error.Message);
    }
}
