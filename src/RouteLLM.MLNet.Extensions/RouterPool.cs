using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Extensions;

/// <summary>
/// Named routers loaded from zip files, shared by every request (PredictionEnginePool's role for routers). Each
/// router is an immutable <see cref="PooledRouter"/>, so scoring needs no pooling or locks. When a zip is replaced on
/// disk, the new version is loaded in the background and swapped in atomically: requests that already hold the old
/// version finish on it, and a zip that fails to load leaves the old version serving and is logged.
/// </summary>
/// <remarks>
/// A router that reads embeddings gets the embedder its manifest names: the one given to the constructor (from
/// dependency injection) when it reports that id and dimension, otherwise the local embedder of that id
/// (all-MiniLM-L6-v2), which the pool creates once, shares between every router and reload that reads it, and
/// disposes with itself. Requests are embedded without the persistent embedding cache; calibration prompts with it
/// (see docs/SERVING.md, "Routers that read embeddings").
/// </remarks>
public sealed partial class RouterPool : IDisposable
{
    private const int CalibrationBatchSize = 256;

    private readonly Dictionary<string, Slot> _slots;
    private readonly Dictionary<string, Slot> _slotsByPath;
    private readonly RouterEmbedders _embedders;
    private readonly ILogger _logger;
    private readonly TimeSpan _reloadDelay;
    private readonly RouterFileWatcher? _watcher;
    private volatile bool _disposed;

    /// <summary>
    /// Loads every configured router, synchronously, so that an application with a missing or corrupt router zip
    /// fails at start rather than on its first request.
    /// </summary>
    /// <param name="options">The routers and the reload settings.</param>
    /// <param name="logger">Where reloads and failed reloads are logged; none when null.</param>
    /// <param name="embedder">
    /// An embedder for the routers trained with it (matched by its metadata's model id and dimension); routers whose
    /// manifest names another embedder get the local one it names. Null: every such router gets its local embedder.
    /// The pool never disposes it.
    /// </param>
    /// <exception cref="ArgumentException">The options name no router, or a name, path or delay is invalid.</exception>
    /// <exception cref="InvalidOperationException">
    /// A router could not be loaded (a missing or corrupt zip, an embedder that is neither registered nor local, an
    /// unreadable calibration file); the message names the router and the file, the inner exception says why.
    /// </exception>
    public RouterPool(
        IOptions<RouterPoolOptions> options,
        ILogger<RouterPool>? logger = null,
        IEmbeddingGenerator<string, Embedding<float>>? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Validate(settings);
        _embedders = new RouterEmbedders(embedder, settings.CacheDirectory is { Length: > 0 } cache ? System.IO.Path.GetFullPath(cache) : null, settings.RequestBatching);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _reloadDelay = settings.ReloadDelay;
        _slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var (name, source) in settings.Routers)
        {
            var path = System.IO.Path.GetFullPath(source.Path);
            var calibration = source.CalibrationPrompts is { Length: > 0 } prompts ? System.IO.Path.GetFullPath(prompts) : null;
            PooledRouter first;
            try
            {
                first = LoadAsync(name, path, calibration, version: 1, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _embedders.Dispose();
                throw new InvalidOperationException($"Router '{name}' could not be loaded from '{path}': {e.Message}", e);
            }

            _slots.Add(name, new Slot(name, path, calibration, first, this));
        }

        Names = [.. _slots.Keys];
        _slotsByPath = _slots.Values.ToDictionary(s => s.Path, StringComparer.Ordinal);
        if (settings.WatchForChanges)
        {
            _watcher = new RouterFileWatcher(
                _slotsByPath.Keys,
                path => _slotsByPath[path].ScheduleReload(),
                (path, error) =>
                {
                    LogWatcherError(_logger, _slotsByPath[path].Name, path, error);
                    _slotsByPath[path].ScheduleReload();
                });
        }
    }

    /// <summary>Raised after each reload attempt, on a background thread, whether it succeeded or not.</summary>
    public event EventHandler<RouterReloadedEventArgs>? Reloaded;

    /// <summary>The names of the routers.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The version of a router now serving. Keep the returned object for the whole request.</summary>
    /// <param name="name">The router's name.</param>
    /// <exception cref="ArgumentException">No router has that name; the message lists the names there are.</exception>
    public PooledRouter Get(string name) =>
        TryGet(name, out var router)
            ? router
            : throw new ArgumentException($"Unknown router '{name}'. Routers: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The version of a router now serving, if there is a router of that name.</summary>
    /// <param name="name">The router's name.</param>
    /// <param name="router">The router, or null.</param>
    public bool TryGet(string name, [NotNullWhen(true)] out PooledRouter? router)
    {
        ArgumentNullException.ThrowIfNull(name);
        router = _slots.TryGetValue(name, out var slot) ? slot.Current : null;
        return router is not null;
    }

    /// <summary>
    /// Reloads a router from its zip now (file changes do this on their own when <see cref="RouterPoolOptions.WatchForChanges"/>
    /// is set). On failure the previous version keeps serving and the error is logged.
    /// </summary>
    /// <param name="name">The router's name.</param>
    /// <param name="cancellationToken">Cancels waiting for a reload already under way, and the load.</param>
    /// <returns>Whether the new version is now serving.</returns>
    /// <exception cref="ArgumentException">No router has that name.</exception>
    public Task<bool> ReloadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _slots.TryGetValue(name, out var slot)
            ? slot.ReloadAsync(cancellationToken)
            : throw new ArgumentException($"Unknown router '{name}'. Routers: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// Stops watching the router files and disposes the local embedders the pool created: routers already handed out
    /// that read embeddings no longer score (dispose the pool after the requests using it have ended, as a host does).
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _watcher?.Dispose();
        foreach (var slot in _slots.Values)
        {
            slot.Dispose();
        }

        _embedders.Dispose();
    }

    private static void Validate(RouterPoolOptions options)
    {
        if (options.Routers.Count == 0)
        {
            throw new ArgumentException("RouteLLM: no routers are configured (Routers is empty).", nameof(options));
        }

        foreach (var (name, source) in options.Routers)
        {
            if (!RouterNamePattern().IsMatch(name))
            {
                throw new ArgumentException(
                    $"RouteLLM: router name '{name}' must be letters, digits, '_', '.' or '-' (it appears in model names such as router-{name}-0.5).",
                    nameof(options));
            }

            if (string.IsNullOrWhiteSpace(source?.Path))
            {
                throw new ArgumentException($"RouteLLM: router '{name}' has no Path.", nameof(options));
            }
        }

        if (options.ReloadDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RouteLLM: ReloadDelay must be positive, not {options.ReloadDelay}.", nameof(options));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex RouterNamePattern();

    private async ValueTask<PooledRouter> LoadAsync(string name, string path, string? calibrationPath, int version, CancellationToken cancellationToken)
    {
        var model = RouterZip.Load(path);
        var embedders = model.Manifest.Embedder is { } needed ? _embedders.For(needed) : null;
        var scorer = new RouterScorer(model, embedders?.Requests);
        var calibration = calibrationPath is null
            ? null
            : await ScoreCalibrationAsync(name, new RouterScorer(model, embedders?.Calibration), calibrationPath, cancellationToken).ConfigureAwait(false);
        return new PooledRouter(name, version, path, scorer, calibration, DateTimeOffset.UtcNow);
    }

    private async Task<float[]> ScoreCalibrationAsync(string name, RouterScorer scorer, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Calibration prompts file '{path}' does not exist.", path);
        }

        var started = Stopwatch.GetTimestamp();
        var (prompts, skipped) = PromptFile.Read(path);
        if (prompts.Count == 0)
        {
            throw new InvalidDataException($"Calibration prompts file '{path}' holds no prompts ({skipped}).");
        }

        var scores = await scorer.StrongWinRatesAsync(prompts, CalibrationBatchSize, cancellationToken: cancellationToken).ConfigureAwait(false);

        LogCalibrated(_logger, name, prompts.Count, path, skipped.ToString(), Stopwatch.GetElapsedTime(started).TotalSeconds);
        return scores;
    }

    [LoggerMessage(1, LogLevel.Information, "Router '{Name}' version {Version} loaded from {Path} (kind {Kind}, {StrongModel} vs {WeakModel}, embeddings: {Embedder}).")]
    private static partial void LogLoaded(ILogger logger, string name, int version, string path, string kind, string strongModel, string weakModel, string embedder);

    [LoggerMessage(2, LogLevel.Error, "Router '{Name}' could not be reloaded from {Path}; version {Version} keeps serving. {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string name, string path, int version, string reason, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Router '{Name}': {Count} calibration prompts from {Path} scored in {Seconds:0.###} s ({Skipped}).")]
    private static partial void LogCalibrated(ILogger logger, string name, int count, string path, string skipped, double seconds);

    [LoggerMessage(4, LogLevel.Warning, "Watching router '{Name}' ({Path}) lost file events; reloading it.")]
    private static partial void LogWatcherError(ILogger logger, string name, string path, Exception exception);

    /// <summary>One named router: its current version, and the debounce and lock of its reloads.</summary>
    private sealed class Slot : IDisposable
    {
        private readonly RouterPool _pool;
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Timer _debounce;
        private volatile PooledRouter _current;

        public Slot(string name, string path, string? calibrationPath, PooledRouter first, RouterPool pool)
        {
            Name = name;
            Path = path;
            CalibrationPath = calibrationPath;
            _current = first;
            _pool = pool;
            _debounce = new Timer(_ => _ = ReloadAsync(CancellationToken.None), null, Timeout.Infinite, Timeout.Infinite);
            LogLoaded(first);
        }

        public string Name { get; }

        public string Path { get; }

        public string? CalibrationPath { get; }

        public PooledRouter Current => _current;

        // Each file event pushes the reload back, so that a burst of events loads the file once, after it settles.
        public void ScheduleReload() => _debounce.Change(_pool._reloadDelay, Timeout.InfiniteTimeSpan);

        public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_pool._disposed)
                {
                    return false;
                }

                var previous = _current;
                PooledRouter next;
                try
                {
                    next = await Task.Run(() => _pool.LoadAsync(Name, Path, CalibrationPath, previous.Version + 1, cancellationToken).AsTask(), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Whatever broke the load (a truncated copy, a wrong embedder, an unreadable file), the version
                    // that was serving stays.
                    LogReloadFailed(_pool._logger, Name, Path, previous.Version, e.Message, e);
                    _pool.Reloaded?.Invoke(_pool, new RouterReloadedEventArgs(Name, null, e));
                    return false;
                }

                _current = next;
                LogLoaded(next);
                _pool.Reloaded?.Invoke(_pool, new RouterReloadedEventArgs(Name, next, null));
                return true;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _debounce.Dispose();

        private void LogLoaded(PooledRouter router)
        {
            var manifest = router.Scorer.Model.Manifest;
            RouterPool.LogLoaded(_pool._logger, Name, router.Version, Path, manifest.Kind, manifest.StrongModel, manifest.WeakModel, manifest.Embedder?.Id ?? "none");
        }
    }
}
