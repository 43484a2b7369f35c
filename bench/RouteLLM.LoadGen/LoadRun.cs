using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RouteLLM.LoadGen;

/// <summary>
/// Sends chat completions to an OpenAI-compatible endpoint from a fixed number of concurrent clients, each sending its
/// next request when the last one is answered, and measures each request's latency. Request <c>i</c> asks
/// <paramref name="prompt"/>(i).
/// </summary>
internal sealed class LoadRun(Uri completions, string model, int concurrency, bool stream, Func<int, string> prompt)
{
    private const string CostHeader = "x-routellm-cost-usd";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Lock _costGate = new();
    private decimal _costUsd;

    /// <summary>Sends <paramref name="requests"/> requests (after <paramref name="warmup"/> unmeasured ones).</summary>
    /// <param name="requests">Measured requests.</param>
    /// <param name="warmup">Unmeasured requests first.</param>
    /// <param name="server">A local process whose CPU time over the measured requests is reported (the server's), or null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<LoadResult> RunAsync(int requests, int warmup, Process? server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var warmupFailures = await SendManyAsync(client, warmup, new double[warmup], cancellationToken);
        var latencies = new double[requests];
        var cpuBefore = CpuTime(server);
        var started = Stopwatch.GetTimestamp();
        var failures = await SendManyAsync(client, requests, latencies, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuMsPerRequest = server is null ? (double?)null : (CpuTime(server) - cpuBefore).TotalMilliseconds / requests;
        Array.Sort(latencies);
        return new LoadResult(requests, concurrency, failures, warmupFailures, seconds, requests / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), cpuMsPerRequest, _costUsd);
    }

    private async Task<int> SendManyAsync(HttpClient client, int count, double[] latencies, CancellationToken cancellationToken)
    {
        var next = -1;
        var failures = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new { model, stream, messages = new[] { new { role = "user", content = prompt(i) } } });
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
                    using var response = await client.PostAsync(completions, content, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"request {i} failed: {(int)response.StatusCode} {response.ReasonPhrase}");
                    }
                    else if (response.Headers.TryGetValues(CostHeader, out var cost))
                    {
                        var usd = decimal.Parse(cost.Single(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        lock (_costGate)
                        {
                            _costUsd += usd;
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    Interlocked.Increment(ref failures);
                    // The inner exception says which side broke: "Error while copying content to a stream" alone does not.
                    var cause = e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "";
                    Console.Error.WriteLine($"request {i} failed: {e.GetType().Name}: {e.Message}{cause}");
                }

                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return failures;
    }

    private static TimeSpan CpuTime(Process? process)
    {
        if (process is null)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// What one load run measured; latencies in milliseconds; the server's CPU time per request when its process was
/// given; the sum of the <c>x-routellm-cost-usd</c> headers of every answer, warm-up included (what clients were told).
/// </summary>
internal sealed record LoadResult(
    int Requests, int Concurrency, int Failures, int WarmupFailures, double Seconds, double RequestsPerSecond,
    double P50Ms, double P90Ms, double P99Ms, double? ServerCpuMsPerRequest, decimal CostUsd);
