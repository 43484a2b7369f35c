using Microsoft.ML;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

/// <summary>Small, fast training runs shared by the MF tests.</summary>
internal static class MatrixFactorizationTestData
{
    public static MatrixFactorizationRouterTrainer.Options Options(int dimension = 16, int seed = 7) => new()
    {
        Embedder = SyntheticBattles.Embedder(dimension),
        StrongModel = SyntheticBattles.Strong,
        WeakModel = SyntheticBattles.Weak,
        Dimension = 32,
        LearningRate = 3e-3f,
        MaxEpochs = 30,
        EarlyStoppingPatience = 5,
        Seed = seed,
    };

    public static MatrixFactorizationRouterModel Train(SyntheticBattles data, MatrixFactorizationRouterTrainer.Options options) =>
        Train(data.Embeddings, data.Battles, options);

    public static MatrixFactorizationRouterModel Train(
        PromptEmbeddingTable embeddings, IEnumerable<RouteLLM.MLNet.Data.Battle> battles, MatrixFactorizationRouterTrainer.Options options)
    {
        var context = new MLContext(seed: 1);
        return context.Routing().Trainers.MatrixFactorization(options).Fit(embeddings.LoadBattles(context, battles)).Model;
    }

    public static float[] Score(RouterModel model, PromptEmbeddingTable embeddings, IReadOnlyList<string> prompts)
    {
        var scores = new float[prompts.Count];
        model.CalculateStrongWinRates(prompts, embeddings.Gather(prompts), scores);
        return scores;
    }
}
