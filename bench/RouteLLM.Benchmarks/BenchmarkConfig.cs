using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace RouteLLM.Benchmarks;

/// <summary>
/// One short in-process job for every benchmark: the machine is shared and has two cores, so runs are few and each
/// reports its spread; in-process avoids building a second copy of the solution.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .AsDefault())
        .AddColumn(StatisticColumn.Min, StatisticColumn.Max);
}
