using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RouteLLM.MLNet.Embeddings;

namespace RouteLLM.Benchmarks;

/// <summary>
/// Embedding throughput of <see cref="MiniLmEmbeddingGenerator"/> on <see cref="PromptCount"/> real MMLU prompts per
/// call (all cores, default options). BenchmarkDotNet's time is per prompt; the extra columns turn it into prompts/s
/// and tokens/s ([CLS] and [SEP] counted, at the 256-token limit).
/// </summary>
[Config(typeof(ThroughputColumns))]
public class EmbeddingThroughputBenchmarks : IDisposable
{
    /// <summary>Prompts embedded per call.</summary>
    public const int PromptCount = 512;

    private static readonly Lazy<(string[] Prompts, double MeanTokens)> Sample = new(() =>
    {
        var prompts = MmluPrompts.Sample(PromptCount);
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = MiniLmPrecision.Float32 });
        return (prompts, prompts.Average(generator.CountTokens));
    });

    private MiniLmEmbeddingGenerator _generator = null!;

    /// <summary>Weights in fp32 or int8.</summary>
    [Params(MiniLmPrecision.Float32, MiniLmPrecision.Int8)]
    public MiniLmPrecision Precision { get; set; }

    /// <summary>Loads the model (quantizing it on the first int8 run) and the prompts.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _ = Sample.Value;
        _generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingGeneratorOptions { Precision = Precision });
    }

    /// <summary>Releases the model.</summary>
    /// <summary>Releases the ONNX Runtime session.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _generator.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Embeds the sample in one call.</summary>
    [Benchmark(OperationsPerInvoke = PromptCount)]
    public int EmbedMmluPrompts() => _generator.GenerateAsync(Sample.Value.Prompts).GetAwaiter().GetResult().Count;

    private sealed class ThroughputColumns : ManualConfig
    {
        public ThroughputColumns() => AddColumn(new RateColumn("Prompts/s", 1), new RateColumn("Tokens/s", double.NaN));
    }

    // Rates from the mean time per prompt; tokens per prompt are the sample's mean.
    private sealed class RateColumn(string name, double perPrompt) : IColumn
    {
        public string Id => name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name} from the mean time per prompt";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (summary[benchmarkCase]?.ResultStatistics is not { } statistics)
            {
                return "-";
            }

            var units = double.IsNaN(perPrompt) ? Sample.Value.MeanTokens : perPrompt;
            return (units * 1e9 / statistics.Mean).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
