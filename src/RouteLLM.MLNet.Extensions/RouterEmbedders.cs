using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// The embedders a pool's routers read, chosen by the <see cref="EmbedderInfo"/> each router's manifest records: the
/// embedder registered with the pool when it reports that id and dimension, else the local embedder the manifest
/// names (<see cref="LocalEmbedders"/>), created on first use and shared by every router and every reload that reads
/// it, until the pool is disposed.
/// </summary>
/// <remarks>
/// Requests are embedded by the bare local embedder, not through the persistent cache: serving traffic is mostly
/// prompts never seen before, so the cache would cost a flushed write under a cross-process file lock on nearly every
/// request, grow without bound, and keep vectors of users' prompts on disk. Calibration prompts are the opposite, a
/// fixed set chosen by the operator and scored again at every load, so they go through a
/// <see cref="DiskCachingEmbeddingGenerator"/>: a reload or a restart embeds none of them twice. With
/// <paramref name="requestBatching"/>, requests' texts are embedded in micro-batches by the same local embedder
/// (<see cref="MicroBatchingEmbeddingGenerator"/>); calibration prompts never are.
/// </remarks>
internal sealed class RouterEmbedders(
    IEmbeddingGenerator<string, Embedding<float>>? registered, string? cacheDirectory, MicroBatchingOptions? requestBatching = null) : IDisposable
{
    private readonly Dictionary<EmbedderInfo, Pair> _local = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>The embedders for a router trained on <paramref name="needed"/>'s vectors.</summary>
    /// <exception cref="ArgumentException">
    /// The registered embedder is not that one and it is not a local embedder, or it names weights this build lacks.
    /// </exception>
    public Pair For(EmbedderInfo needed)
    {
        if (registered is not null && EmbedderInfo.From(registered) == needed)
        {
            return new Pair(registered, registered);
        }

        if (!LocalEmbedders.IsKnown(needed))
        {
            var given = registered is null ? "none is registered" : $"the registered one is '{EmbedderInfo.From(registered).Id}'";
            throw new ArgumentException(
                $"This router reads embeddings from '{needed.Id}' ({needed.Dimension} dimensions), which is not a local embedder, and {given}: " +
                "register that embedder as IEmbeddingGenerator<string, Embedding<float>> in dependency injection.",
                nameof(needed));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_local.TryGetValue(needed, out var pair))
            {
                var local = LocalEmbedders.Create(needed, cacheDirectory);
                try
                {
                    var requests = requestBatching is null ? local : new MicroBatchingEmbeddingGenerator(local, requestBatching, leaveOpen: true);
                    pair = new Pair(requests, new DiskCachingEmbeddingGenerator(local, cacheDirectory));
                }
                catch
                {
                    local.Dispose();
                    throw;
                }

                _local.Add(needed, pair);
            }

            return pair;
        }
    }

    /// <summary>Disposes the local embedders; a registered embedder stays its owner's.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var pair in _local.Values)
            {
                // The batching generator leaves the local embedder open; the caching generator disposes it.
                (pair.Requests as MicroBatchingEmbeddingGenerator)?.Dispose();
                pair.Calibration.Dispose();
            }

            _local.Clear();
        }
    }

    /// <summary>One embedder, as requests and as calibration prompts are embedded with it.</summary>
    /// <param name="Requests">Embeds the text of each request.</param>
    /// <param name="Calibration">Embeds calibration prompts (the same embedder, behind the persistent cache when local).</param>
    public sealed record Pair(IEmbeddingGenerator<string, Embedding<float>> Requests, IEmbeddingGenerator<string, Embedding<float>> Calibration);
}
