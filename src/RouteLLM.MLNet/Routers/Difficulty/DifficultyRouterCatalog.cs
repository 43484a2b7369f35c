namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>The difficulty router's trainer on <c>mlContext.Routing().Trainers</c>.</summary>
public static class DifficultyRouterCatalog
{
    /// <summary>Creates the difficulty router trainer: per-model means plus a shared, embedding-predicted per-prompt ease.</summary>
    /// <param name="catalog">The routing trainers.</param>
    /// <param name="options">Options; <see cref="RouterTrainerOptions.Embedder"/> is required.</param>
    /// <exception cref="ArgumentException">An option is out of range or the embedder is missing.</exception>
    public static DifficultyRouterTrainer Difficulty(this RoutingCatalog.RoutingTrainers catalog, DifficultyRouterTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DifficultyRouterTrainer(catalog.Context, options);
    }
}
