using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace RouteLLM.LoadGen;

/// <summary>
/// Sends chat completions to an OpenAI-compatible endpoint from a fixed number of concurrent clients, each sending its
/// next request when the last one is answered, and measures each request's latency.
/// </summary>
internal sealed class LoadRun(Uri completions, string model, int concurrency, bool stream)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Sends <paramref name="requests"/> requests (after <paramref name="warmup"/> unmeasured ones).</summary>
    public async Task<LoadResult> RunAsync(int requests, int warmup, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        await SendManyAsync(client, warmup, new double[warmup], cancellationToken);
        var latencies = new double[requests];
        var started = Stopwatch.GetTimestamp();
        var failures = await SendManyAsync(client, requests, latencies, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(requests, concurrency, failures, seconds, requests / seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99));
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
                var body = Encoding.UTF8.GetBytes(
                    $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Prompt {{i}}: explain the difference between a process and a thread."}]}""");
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
                    using var response = await client.PostAsync(completions, content, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return failures;
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>What one load run measured; latencies in milliseconds.</summary>
internal sealed record LoadResult(int Requests, int Concurrency, int Failures, double Seconds, double RequestsPerSecond, double P50Ms, double P90Ms, double P99Ms);
