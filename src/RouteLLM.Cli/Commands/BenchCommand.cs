using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.IO;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;

namespace RouteLLM.Cli.Commands;

/// <summary>
/// <c>routellm bench</c>: routing decisions per second on real prompts, one decision at a time as a server makes them,
/// with the embedding included (end to end) and excluded (the router alone on precomputed embeddings).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var router = CliOptions.Router();
        var prompts = CliOptions.Prompts(required: true);
        var seconds = new Option<double>("--seconds") { Description = "Seconds each measurement runs.", DefaultValueFactory = _ => 10 };
        var json = new Option<FileInfo?>("--json") { Description = "Write the figures as JSON." };
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("bench", "Measure routing decisions/s, p50/p99 latency and embedding tokens/s on a prompts file.")
        {
            router, prompts, seconds, json, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var duration = TimeSpan.FromSeconds(result.GetValue(seconds) is > 0 and var s ? s : throw new ArgumentException("--seconds must be positive."));
            var texts = CliOptions.ReadPrompts(result.GetValue(prompts)!, CliOptions.ReadOptions(result, skipBadRows));
            var routerFile = result.GetValue(router)!;
            var model = RouterZip.Load(routerFile.FullName);

            // No embedding cache here: a cache hit is not what a new request costs.
            using var embedder = model.Manifest.Embedder is { } info ? LocalEmbedders.Create(info) : null;
            var report = await MeasureAsync(model, embedder, texts, duration, cancellationToken);
            report = report with { Router = routerFile.FullName };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Prompts} prompts: {report.DecisionsPerSecond:F1} decisions/s end to end (p50 {report.P50Milliseconds:F3} ms, p99 {report.P99Milliseconds:F3} ms), " +
                $"{report.DecisionsPerSecondExcludingEmbedding:F1} decisions/s excluding embedding, " +
                $"{(report.TokensPerSecond is { } t ? t.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} embedding tokens/s"));
            if (result.GetValue(json) is { } file)
            {
                AtomicFile.Write(file.FullName, stream => JsonSerializer.Serialize(stream, report, Json));
                Console.WriteLine($"wrote {file.FullName}");
            }

            return 0;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static async Task<BenchReport> MeasureAsync(
        RouterModel model, IEmbeddingGenerator<string, Embedding<float>>? embedder, IReadOnlyList<string> prompts, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var dimension = model.Manifest.Embedder?.Dimension ?? 0;
        float[] embeddings = [];
        double? tokensPerSecond = null;
        if (embedder is not null)
        {
            var clock = Stopwatch.StartNew();
            var embedded = await EmbeddedTexts.EmbedAsync(embedder, prompts, dimension, cancellationToken);
            tokensPerSecond = embedded.Usage?.InputTokenCount / clock.Elapsed.TotalSeconds;
            embeddings = embedded.Values;
        }

        var excluding = await Repeat(duration, i =>
        {
            var index = i % prompts.Count;
            Span<float> score = stackalloc float[1];
            model.CalculateStrongWinRates([prompts[index]], embeddings.AsSpan(index * dimension, dimension), score);
            return Task.CompletedTask;
        }, cancellationToken);
        var scorer = new RouterScorer(model, embedder);
        var latencies = new List<double>();
        var including = await Repeat(duration, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            await scorer.StrongWinRateAsync(prompts[i % prompts.Count], cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }, cancellationToken);
        var sorted = latencies.Order().ToArray();
        return new BenchReport(
            Router: "", prompts.Count, including, excluding,
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), tokensPerSecond);
    }

    /// <summary>Runs <paramref name="decide"/> one call at a time until <paramref name="duration"/> has passed; returns calls per second.</summary>
    private static async Task<double> Repeat(TimeSpan duration, Func<int, Task> decide, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await decide(calls++);
        }

        return calls / clock.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private sealed record BenchReport(
        [property: JsonPropertyName("router")] string Router,
        [property: JsonPropertyName("prompts")] int Prompts,
        [property: JsonPropertyName("decisions_per_s")] double DecisionsPerSecond,
        [property: JsonPropertyName("decisions_per_s_excl_embedding")] double DecisionsPerSecondExcludingEmbedding,
        [property: JsonPropertyName("p50_ms")] double P50Milliseconds,
        [property: JsonPropertyName("p99_ms")] double P99Milliseconds,
        [property: JsonPropertyName("tokens_per_s")] double? TokensPerSecond);
}
