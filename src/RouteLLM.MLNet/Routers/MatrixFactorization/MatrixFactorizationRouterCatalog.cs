using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Trainers.MatrixFactorization(...)</c>.</summary>
public static class MatrixFactorizationRouterCatalog
{
    /// <summary>Creates RouteLLM's matrix-factorization router trainer.</summary>
    /// <param name="catalog">The routing trainers catalog.</param>
    /// <param name="options">Options; <see cref="RouterTrainerOptions.Embedder"/> is required.</param>
    /// <exception cref="ArgumentException">An option is out of range or the embedder is missing.</exception>
    public static MatrixFactorizationRouterTrainer MatrixFactorization(
        this RoutingCatalog.RoutingTrainers catalog, MatrixFactorizationRouterTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MatrixFactorizationRouterTrainer(catalog.Context, options);
    }
}
