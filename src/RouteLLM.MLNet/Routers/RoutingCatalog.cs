using Microsoft.ML;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Routers;

/// <summary>
/// Entry point for routing in ML.NET, reached as <c>mlContext.Routing()</c>: trainers for each router and the
/// transforms that prepare battle data.
/// </summary>
public sealed class RoutingCatalog
{
    internal RoutingCatalog(MLContext context)
    {
        Context = context;
        Trainers = new RoutingTrainers(context);
        Transforms = new RoutingTransforms(context);
    }

    /// <summary>Router trainers: <c>Random</c>, <c>MatrixFactorization</c>, <c>SimilarityWeighted</c>, and (from RouteLLM.MLNet.TorchSharp) <c>Bert</c>.</summary>
    public RoutingTrainers Trainers { get; }

    /// <summary>Transforms used before a router: embedding prompts.</summary>
    public RoutingTransforms Transforms { get; }

    internal MLContext Context { get; }

    /// <summary>
    /// Turns battles into the rows router trainers read: <c>Prompt</c>, <c>ModelA</c>, <c>ModelB</c>, <c>Label</c>
    /// (1 A wins, 0 B wins, 0.5 tie) and <c>Weight</c>.
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
        }));
    }

    /// <summary>Router trainers; each router adds its own extension method.</summary>
    public sealed class RoutingTrainers
    {
        internal RoutingTrainers(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }

    /// <summary>Transforms for routing pipelines; each adds its own extension method.</summary>
    public sealed class RoutingTransforms
    {
        internal RoutingTransforms(MLContext context) => Context = context;

        internal MLContext Context { get; }
    }

    private sealed class BattleRow
    {
        public string Prompt { get; set; } = "";

        public string ModelA { get; set; } = "";

        public string ModelB { get; set; } = "";

        public float Label { get; set; }

        public float Weight { get; set; }
    }
}
