using RouteLLM.MLNet.Routers;

// ML.NET's own component packages put their catalog extensions in this namespace, so that they appear on MLContext.
namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Routing()</c>.</summary>
public static class RoutingMLContextExtensions
{
    /// <summary>The routing catalog: router trainers and routing transforms.</summary>
    /// <param name="context">The ML.NET context.</param>
    public static RoutingCatalog Routing(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RoutingCatalog(context);
    }
}
