using System.Diagnostics;
using System.Globalization;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.Benchmarks;

/// <summary>
/// <c>throughput [count] [repeats]</c>: embeds <c>count</c> (default 1000) real MMLU prompts in one call per repeat
/// (default 3), for fp32 and int8, and prints wall-clock rates next to rates per CPU-second of this process times
/// the processor count. On a machine shared with other work the wall rate understates what the cores deliver; the
/// CPU-time rate is what an idle machine of this size would do if the threads scale, which per-text runs do.
/// </summary>
internal static class EmbeddingThroughput
{
    public static void Run(string[] args)
    {
        var count = args is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 1000;
        var repeats = args is [_, var r, ..] ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
        var prompts = MmluPrompts.Sample(count);
        Console.WriteLine($"{Environment.ProcessorCount} processors; load average before: {LoadAverage()}");
        foreach (var precision in new[] { MiniLmPrecision.Float32, MiniLmPrecision.Int8 })
        {
            var loading = Stopwatch.StartNew();
            using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = precision });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{precision,-7} loaded in {loading.Elapsed.TotalSeconds:F2} s (a quantized model already in the cache is reused)"));
            var tokens = prompts.Sum(generator.CountTokens);
            generator.GenerateAsync(prompts[..64]).GetAwaiter().GetResult();
            for (var i = 0; i < repeats; i++)
            {
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                generator.GenerateAsync(prompts).GetAwaiter().GetResult();
                var wall = clock.Elapsed.TotalSeconds;
                process.Refresh();
                var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
                var perCpu = Environment.ProcessorCount / cpuSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{precision,-7} {prompts.Length} prompts, {tokens} tokens: wall {tokens / wall,8:N0} tokens/s {prompts.Length / wall,6:N1} prompts/s | " +
                    $"per CPU-second x{Environment.ProcessorCount} {tokens * perCpu,8:N0} tokens/s {prompts.Length * perCpu,6:N1} prompts/s | load {LoadAverage()}"));
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
}
