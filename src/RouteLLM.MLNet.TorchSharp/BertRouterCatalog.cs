using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.TorchSharp;

// Catalog extensions live in ML.NET's namespace, as ML.NET's own component packages do.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing().Trainers.Bert(...)</c>.</summary>
public static class BertRouterCatalog
{
    /// <summary>Creates the BERT router trainer (RouteLLM's <c>bert</c> router, fine-tuned with TorchSharp on CPU).</summary>
    /// <param name="catalog">The routing trainers catalog.</param>
    /// <param name="options">Options; defaults when null.</param>
    public static BertRouterTrainer Bert(this RoutingCatalog.RoutingTrainers catalog, BertRouterTrainer.Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new BertRouterTrainer(catalog.Context, options ?? new BertRouterTrainer.Options());
    }
}
