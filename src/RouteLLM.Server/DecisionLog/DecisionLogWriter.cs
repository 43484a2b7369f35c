using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Data;

namespace RouteLLM.Server.DecisionLog;

/// <summary>
/// Writes decision-log and feedback entries off the request path: requests only queue an entry (a bounded channel;
/// when it is full the entry is dropped and counted), and one background task writes and flushes them.
/// </summary>
internal sealed partial class DecisionLogWriter : BackgroundService
{
    private readonly DecisionLogOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue;
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _knownOrder = new();
    private long _dropped;

    public DecisionLogWriter(IOptions<DecisionLogOptions> options, ILogger<DecisionLogWriter> logger)
    {
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        if (Enabled)
        {
            Directory.CreateDirectory(_options.Directory!);
            foreach (var entry in ReadExisting())
            {
                Remember(entry.Id, entry.UpstreamId);
            }
        }
    }

    public bool Enabled => !string.IsNullOrWhiteSpace(_options.Directory);

    public DecisionLogOptions Options => _options;

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether feedback may name <paramref name="responseId"/>.</summary>
    public bool IsKnown(string responseId) => _known.ContainsKey(responseId);

    public void Write(DecisionLogEntry entry)
    {
        Remember(entry.Id, entry.UpstreamId);
        Enqueue(entry);
    }

    /// <summary>Makes <paramref name="responseId"/> known to feedback before its response is sent.</summary>
    public void Remember(string responseId) => Remember(responseId, null);

    public void Write(FeedbackEntry entry) => Enqueue(entry);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var decisions = new RotatingJsonLines(_options.Directory!, "decisions", _options.MaxFileBytes);
        using var feedback = new RotatingJsonLines(_options.Directory!, "feedback", _options.MaxFileBytes);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Drain(reader, decisions, feedback);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is queued is written below.
        }

        Drain(reader, decisions, feedback);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Drain(ChannelReader<object> reader, RotatingJsonLines decisions, RotatingJsonLines feedback)
    {
        try
        {
            while (reader.TryRead(out var item))
            {
                if (item is DecisionLogEntry decision)
                {
                    decisions.Append(JsonSerializer.SerializeToUtf8Bytes(decision, DecisionLogJson.Default.DecisionLogEntry), decision.Time);
                }
                else if (item is FeedbackEntry verdict)
                {
                    feedback.Append(JsonSerializer.SerializeToUtf8Bytes(verdict, DecisionLogJson.Default.FeedbackEntry), verdict.Time);
                }
            }

            decisions.Flush();
            feedback.Flush();
        }
        catch (IOException e)
        {
            // A full disk must not take the server down with it: the log is best effort, and says so.
            LogWriteFailed(_logger, e);
        }
    }

    private void Enqueue(object entry)
    {
        if (Enabled && !_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void Remember(string id, string? upstreamId)
    {
        foreach (var key in upstreamId is null ? [id] : new[] { id, upstreamId })
        {
            if (_known.TryAdd(key, 0))
            {
                _knownOrder.Enqueue(key);
            }
        }

        while (_knownOrder.Count > 2 * _options.RememberedResponses && _knownOrder.TryDequeue(out var oldest))
        {
            _known.TryRemove(oldest, out _);
        }
    }

    private IEnumerable<DecisionLogEntry> ReadExisting() =>
        DecisionLogFiles.ReadDecisions(_options.Directory!, new DataReadOptions { SkipBadRows = true }).Items.TakeLast(_options.RememberedResponses);

    [LoggerMessage(30, LogLevel.Error, "Writing the decision log failed.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);
}
