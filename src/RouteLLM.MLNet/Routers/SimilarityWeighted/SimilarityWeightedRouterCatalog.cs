using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Trainers.SimilarityWeighted(...)</c>.</summary>
public static class SimilarityWeightedRouterCatalog
{
    /// <summary>Creates the similarity-weighted (SW) ranking router trainer (RouteLLM's <c>sw_ranking</c>).</summary>
    /// <param name="catalog">The routing trainers catalog.</param>
    /// <param name="options">Options; <see cref="RouterTrainerOptions.Embedder"/> must be set.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SimilarityWeightedRouterTrainer SimilarityWeighted(this RoutingCatalog.RoutingTrainers catalog, SimilarityWeightedRouterTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SimilarityWeightedRouterTrainer(catalog.Context, options);
    }
}
