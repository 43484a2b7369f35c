using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Trainers.Random(...)</c>.</summary>
public static class RandomRouterCatalog
{
    /// <summary>Creates the random-router trainer (RouteLLM's baseline).</summary>
    /// <param name="catalog">The routing trainers catalog.</param>
    /// <param name="options">Options; defaults when null.</param>
    public static RandomRouterTrainer Random(this RoutingCatalog.RoutingTrainers catalog, RandomRouterTrainer.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RandomRouterTrainer(catalog.Context, options ?? new RandomRouterTrainer.Options());
    }
}
