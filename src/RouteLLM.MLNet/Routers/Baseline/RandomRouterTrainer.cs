using Microsoft.ML;

namespace RouteLLM.MLNet.Routers.Baseline;

/// <summary>
/// Trains RouteLLM's <c>random</c> baseline: a router whose win rate is a uniform draw, seeded and fixed per prompt
/// so that the same prompt always gets the same score.
/// </summary>
public sealed partial class RandomRouterTrainer : RouterTrainerBase<RandomRouterModel, RandomRouterTrainer.Options>
{
    internal const string KindName = "random";

    internal RandomRouterTrainer(MLContext context, Options options)
        : base(context, options)
    {
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override bool ReadsEmbeddings => false;

    /// <inheritdoc/>
    protected override RandomRouterModel TrainCore(TrainingSet trainingSet)
    {
        var metrics = new Dictionary<string, double> { ["battles"] = trainingSet.Battles.Count, ["scores"] = trainingSet.Scores.Count };
        return new RandomRouterModel(CreateManifest(trainingSet, metrics, requirePairInData: false), TrainerOptions.Seed);
    }
}
