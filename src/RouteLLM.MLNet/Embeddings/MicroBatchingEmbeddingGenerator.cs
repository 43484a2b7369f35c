using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Embeddings;

/// <summary>
/// Gathers the texts of concurrent calls into micro-batches and runs each batch on one thread of a
/// <see cref="MiniLmEmbeddingGenerator"/>, one ONNX Runtime call per group of texts of similar length: a batch runs
/// when it holds <see cref="MicroBatchingOptions.MaxBatchSize"/> texts, or <see cref="MicroBatchingOptions.Window"/>
/// after its first text arrived. Each caller gets its own texts' vectors; a failed run fails every call that had a
/// text in it; a cancelled call returns at once and its texts are left out of a batch not yet run. Nothing waits on a
/// lock: callers await their texts' tasks. Thread-safe.
/// </summary>
/// <remarks>
/// Each group is padded to its longest text. With fp32 weights a text's vector is the same in any batch; with int8
/// weights a group shares one activation scale, so a text's vector, and so a routing decision near the threshold,
/// depends on the texts it was batched with (docs/BENCHMARKS.md, "Micro-batching", measures both the throughput and
/// how far decisions move). Calls whose options ask for a model id or dimension go to the inner generator unbatched.
/// </remarks>
public sealed class MicroBatchingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Func<IReadOnlyList<string>, float[]> _runTogether;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _maxBatchSize;
    private readonly bool _leaveOpen;
    private readonly EmbedderInfo _embedder;
    private readonly Lock _gate = new();
    private List<Pending> _open = [];
    private ITimer? _windowTimer;
    private bool _disposed;
    private long _batches;
    private long _batchedTexts;

    /// <summary>Batches the calls to <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">A <see cref="MiniLmEmbeddingGenerator"/>, or a generator that yields one from <c>GetService</c>.</param>
    /// <param name="options">Window and batch size; defaults when null.</param>
    /// <param name="leaveOpen">Whether disposing this generator leaves <paramref name="innerGenerator"/> undisposed.</param>
    /// <exception cref="ArgumentException"><paramref name="innerGenerator"/> is not a MiniLM generator.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MicroBatchingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator, MicroBatchingOptions? options = null, bool leaveOpen = false)
        : this(innerGenerator, MiniLmOf(innerGenerator).EmbedTogether, options, TimeProvider.System, leaveOpen)
    {
    }

    /// <summary>Batches with <paramref name="runTogether"/> (one call per batch) on <paramref name="time"/>'s timers.</summary>
    internal MicroBatchingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        Func<IReadOnlyList<string>, float[]> runTogether,
        MicroBatchingOptions? options,
        TimeProvider time,
        bool leaveOpen)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(runTogether);
        ArgumentNullException.ThrowIfNull(time);
        options ??= new MicroBatchingOptions();
        if (options.Window < TimeSpan.Zero || options.Window > MicroBatchingOptions.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, $"Window must be between 0 and {MicroBatchingOptions.MaxWindow.TotalMilliseconds} ms.");
        }

        if (options.MaxBatchSize is < 1 or > MicroBatchingOptions.MaxMaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBatchSize, $"MaxBatchSize must be between 1 and {MicroBatchingOptions.MaxMaxBatchSize}.");
        }

        _embedder = EmbedderInfo.From(innerGenerator);
        _runTogether = runTogether;
        _time = time;
        _window = options.Window;
        _maxBatchSize = options.MaxBatchSize;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Batches run so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Texts run in those batches.</summary>
    public long BatchedTexts => Interlocked.Read(ref _batchedTexts);

    /// <inheritdoc/>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.ModelId is not null || options?.Dimensions is not null)
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }

        var texts = values.ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            _ = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(values));
        }

        var vectors = await Task.WhenAll(texts.Select(text => Enqueue(text, cancellationToken))).ConfigureAwait(false);
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(vector => new Embedding<float>(vector) { ModelId = _embedder.Id }));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            List<Pending> abandoned;
            lock (_gate)
            {
                _disposed = true;
                abandoned = TakeOpen();
            }

            foreach (var pending in abandoned)
            {
                pending.Fail(new ObjectDisposedException(nameof(MicroBatchingEmbeddingGenerator)));
            }
        }

        if (!_leaveOpen)
        {
            base.Dispose(disposing);
        }
    }

    private static MiniLmEmbeddingGenerator MiniLmOf(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.GetService<MiniLmEmbeddingGenerator>()
            ?? throw new ArgumentException("Only a MiniLmEmbeddingGenerator's texts can be run together.", nameof(generator));
    }

    private Task<ReadOnlyMemory<float>> Enqueue(string text, CancellationToken cancellationToken)
    {
        var pending = new Pending(text, cancellationToken);
        List<Pending>? full = null;
        List<Pending>? opened = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _open.Add(pending);
            if (_open.Count >= _maxBatchSize)
            {
                full = TakeOpen();
            }
            else if (_open.Count == 1)
            {
                opened = _open;
            }
        }

        if (full is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(Run, full, preferLocal: false);
        }
        else if (opened is not null)
        {
            // Made outside the lock: a timer may call back before CreateTimer returns.
            var timer = _time.CreateTimer(static state => ((Window)state!).Elapsed(), new Window(this, opened), _window, Timeout.InfiniteTimeSpan);
            lock (_gate)
            {
                if (ReferenceEquals(_open, opened))
                {
                    _windowTimer = timer;
                    timer = null;
                }
            }

            timer?.Dispose();
        }

        return pending.Task;
    }

    private void OnWindowElapsed(List<Pending> opened)
    {
        List<Pending> batch;
        lock (_gate)
        {
            // A batch that filled up, or a disposal, took it first.
            if (!ReferenceEquals(_open, opened))
            {
                return;
            }

            batch = TakeOpen();
        }

        Run(batch);
    }

    private List<Pending> TakeOpen()
    {
        var batch = _open;
        _open = [];
        _windowTimer?.Dispose();
        _windowTimer = null;
        return batch;
    }

    private void Run(List<Pending> batch)
    {
        var live = batch.FindAll(pending => !pending.Task.IsCompleted);
        if (live.Count == 0)
        {
            return;
        }

        try
        {
            var vectors = _runTogether(live.ConvertAll(pending => pending.Text));
            if (vectors.Length != live.Count * _embedder.Dimension)
            {
                throw new InvalidOperationException($"A batch of {live.Count} texts returned {vectors.Length} values, not {live.Count} × {_embedder.Dimension}.");
            }

            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batchedTexts, live.Count);
            for (var i = 0; i < live.Count; i++)
            {
                live[i].Succeed(vectors.AsMemory(i * _embedder.Dimension, _embedder.Dimension));
            }
        }
        catch (Exception e)
        {
            foreach (var pending in live)
            {
                pending.Fail(e);
            }
        }
    }

    /// <summary>The open batch a window timer was started for.</summary>
    private sealed record Window(MicroBatchingEmbeddingGenerator Owner, List<Pending> Opened)
    {
        public void Elapsed() => Owner.OnWindowElapsed(Opened);
    }

    /// <summary>One text waiting for its batch, and the task its caller awaits (cancelled with the caller's token).</summary>
    private sealed class Pending
    {
        private readonly TaskCompletionSource<ReadOnlyMemory<float>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _cancellation;

        public Pending(string text, CancellationToken cancellationToken)
        {
            Text = text;
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Pending)state!)._done.TrySetCanceled(token), this);
        }

        public string Text { get; }

        public Task<ReadOnlyMemory<float>> Task => _done.Task;

        public void Succeed(ReadOnlyMemory<float> vector)
        {
            _done.TrySetResult(vector);
            _cancellation.Dispose();
        }

        public void Fail(Exception error)
        {
            _done.TrySetException(error);
            _cancellation.Dispose();
        }
    }
}
