namespace RouteLLM.MLNet.Routers.Baseline;

public sealed partial class RandomRouterTrainer
{
    /// <summary>Options of the random router: only the shared ones (the <see cref="RouterTrainerOptions.Seed"/> picks the draws).</summary>
    public sealed class Options : RouterTrainerOptions
    {
    }
}
