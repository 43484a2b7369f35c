using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Routers.MatrixFactorization;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Entry point for routing in ML.NET, reached as <c>mlContext.Routing()</c>: trainers for each router, the transforms
/// that prepare battle data, and saving and loading router zips.
/// </summary>
public sealed class RoutingCatalog
{
    internal RoutingCatalog(MLContext context)
    {
        Context = context;
        Trainers = new RoutingTrainers(context);
        Transforms = new RoutingTransformsCatalog(context);
    }

    /// <summary>Router trainers: <c>Random</c>, <c>MatrixFactorization</c>, <c>SimilarityWeighted</c>, and (from RouteLLM.MLNet.TorchSharp) <c>Bert</c>.</summary>
    public RoutingTrainers Trainers { get; }

    /// <summary>Transforms used before a router: embedding prompts.</summary>
    public RoutingTransformsCatalog Transforms { get; }

    internal MLContext Context { get; }

    /// <summary>
    /// Turns battles into the rows router trainers read (<see cref="BattleColumnNames"/>): <c>Prompt</c>, <c>ModelA</c>,
    /// <c>ModelB</c>, <c>Label</c> (1 A wins, 0 B wins, 0.5 tie), <c>Weight</c> and <c>IsGold</c>.
    /// </summary>
    /// <param name="battles">The battles.</param>
    public IDataView LoadBattles(IEnumerable<Battle> battles)
    {
        ArgumentNullException.ThrowIfNull(battles);
        return Context.Data.LoadFromEnumerable(battles.Select(b => new BattleRow
        {
            Prompt = b.Prompt,
            ModelA = b.ModelA,
            ModelB = b.ModelB,
            Label = b.Label,
            Weight = b.Weight,
            IsGold = b.IsGold,
        }));
    }

    /// <summary>Writes a router zip (see <see cref="RouterZip.Save"/>): to a temporary file first, then moved into place.</summary>
    /// <param name="model">The router, e.g. a fitted pipeline's <c>LastTransformer.Model</c>.</param>
    /// <param name="path">Destination .zip path; replaced if it exists.</param>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Reached as mlContext.Routing().Save(...), as ML.NET's catalogs are.")]
    public void Save(RouterModel model, string path) => RouterZip.Save(model, path);

    /// <summary>Loads a router zip of any kind (see <see cref="RouterZip.Load"/>).</summary>
    /// <param name="path">The .zip file.</param>
    /// <exception cref="RouterFormatException">The file is not a usable router zip; the message says why.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Reached as mlContext.Routing().Save(...), as ML.NET's catalogs are.")]
    public RouterModel Load(string path) => RouterZip.Load(path);

    /// <summary>Router trainers; the built-in ones are methods here, BERT's an extension from RouteLLM.MLNet.TorchSharp.</summary>
    public sealed class RoutingTrainers
    {
        internal RoutingTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }

        /// <summary>Creates the random-router trainer (RouteLLM's baseline).</summary>
        /// <param name="options">Options; defaults when null.</param>
        public RandomRouterTrainer Random(RandomRouterTrainer.Options? options = null) =>
            new(Context, options ?? new RandomRouterTrainer.Options());

        /// <summary>Creates RouteLLM's matrix-factorization router trainer.</summary>
        /// <param name="options">Options; <see cref="RouterTrainerOptions.Embedder"/> is required.</param>
        /// <exception cref="ArgumentException">An option is out of range or the embedder is missing.</exception>
        public MatrixFactorizationRouterTrainer MatrixFactorization(MatrixFactorizationRouterTrainer.Options options) => new(Context, options);

        /// <summary>Creates the similarity-weighted (SW) ranking router trainer (RouteLLM's <c>sw_ranking</c>).</summary>
        /// <param name="options">Options; <see cref="RouterTrainerOptions.Embedder"/> must be set.</param>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public SimilarityWeightedRouterTrainer SimilarityWeighted(SimilarityWeightedRouterTrainer.Options options) => new(Context, options);
    }

    private sealed class BattleRow
    {
        public string Prompt { get; set; } = "";

        public string ModelA { get; set; } = "";

        public string ModelB { get; set; } = "";

        public float Label { get; set; }

        public float Weight { get; set; }

        public bool IsGold { get; set; }
    }
}
