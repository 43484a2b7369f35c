using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Cli.Commands;

/// <summary>The embedders the CLI runs: the local one a router names, behind the persistent embedding cache.</summary>
internal static class Embedders
{
    /// <summary>The cached local embedder <paramref name="router"/> reads or kept its training prompts with; null when it needs none.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>>? ForRouter(RouterModel router)
    {
        var info = router.Manifest.Embedder ?? router.TrainingPrompts?.Embedder;
        return info is null ? null : LocalEmbedders.CreateCached(info);
    }

    /// <summary>The default embedder for training (all-MiniLM-L6-v2, int8), cached.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Default() =>
        new DiskCachingEmbeddingGenerator(new MiniLmEmbeddingGenerator());
}
