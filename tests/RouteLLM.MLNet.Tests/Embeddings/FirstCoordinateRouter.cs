using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

[assembly: RouterKind(RouteLLM.MLNet.Tests.Embeddings.FirstCoordinateRouter.KindName, typeof(RouteLLM.MLNet.Tests.Embeddings.FirstCoordinateRouter.Loader))]

namespace RouteLLM.MLNet.Tests.Embeddings;

/// <summary>A test router that reads embeddings: P(strong wins) = (first coordinate + 1) / 2.</summary>
public sealed class FirstCoordinateRouter(RouterManifest manifest) : RouterModel(manifest, trainingPrompts: null)
{
    public const string KindName = "test-first-coordinate";

    public static FirstCoordinateRouter For(EmbedderInfo embedder) => new(new RouterManifest
    {
        Kind = KindName,
        Assembly = typeof(FirstCoordinateRouter).Assembly.GetName().Name!,
        Embedder = embedder,
        StrongModel = "strong",
        WeakModel = "weak",
        Models = ["strong", "weak"],
    });

    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var dimension = embeddings.Length / prompts.Count;
        for (var i = 0; i < prompts.Count; i++)
        {
            destination[i] = (embeddings[i * dimension] + 1) / 2;
        }
    }

    protected override RouterModel WithModelsCore(RouterManifest manifest) => new FirstCoordinateRouter(manifest);

    protected internal override void SaveContents(RouterZipWriter writer)
    {
    }

    public sealed class Loader : IRouterModelLoader
    {
        public RouterModel Load(RouterZipReader reader) => new FirstCoordinateRouter(reader.Manifest);
    }
}
