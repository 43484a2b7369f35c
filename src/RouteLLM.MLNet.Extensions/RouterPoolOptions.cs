using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.MLNet.Extensions;

/// <summary>Options of a <see cref="RouterPool"/>; in configuration, the section that <c>AddRouteLLM</c> is bound to.</summary>
public sealed class RouterPoolOptions
{
    /// <summary>The routers, by name. A name is what requests ask for (e.g. <c>mf</c> in <c>router-mf-0.116</c>).</summary>
    public IDictionary<string, RouterSource> Routers { get; } = new Dictionary<string, RouterSource>(StringComparer.Ordinal);

    /// <summary>Whether replacing a router zip on disk reloads it. Default: true.</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// How long a router file must stay unchanged after a change before it is reloaded, so that a burst of file
    /// events (a copy in progress, an editor's save) loads once. Default: 500 ms.
    /// </summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Where the local embedders of routers that read embeddings keep their quantized model, and where the embeddings
    /// of calibration prompts are cached between loads; <see cref="RouteLLMCacheDirectory.Default"/> when null.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// When set, the local embedders embed the texts of concurrent requests in micro-batches, one ONNX Runtime call per
    /// batch (<see cref="MicroBatchingEmbeddingGenerator"/>); calibration prompts are still embedded one text per run.
    /// Null (the default): each request's text is embedded alone, so its decision is a function of the text.
    /// </summary>
    public MicroBatchingOptions? RequestBatching { get; set; }

    /// <summary>Adds a router.</summary>
    /// <param name="name">The router's name.</param>
    /// <param name="path">The router zip.</param>
    /// <param name="calibrationPrompts">Optional prompts file that enables target strong shares.</param>
    /// <returns>These options.</returns>
    public RouterPoolOptions AddRouter(string name, string path, string? calibrationPrompts = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Routers.Add(name, new RouterSource { Path = path, CalibrationPrompts = calibrationPrompts });
        return this;
    }
}
