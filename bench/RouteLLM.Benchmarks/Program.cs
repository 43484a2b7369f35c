using BenchmarkDotNet.Running;

// Console measurements by name; anything else goes to BenchmarkDotNet (--filter, --list, ...).
if (args is ["fidelity", ..])
{
    RouteLLM.Benchmarks.EmbeddingFidelity.Run(args[1..]);
}
else if (args is ["batching", ..])
{
    RouteLLM.Benchmarks.BatchingComparison.Run(args[1..]);
}
else if (args is ["throughput", ..])
{
    RouteLLM.Benchmarks.EmbeddingThroughput.Run(args[1..]);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, RouteLLM.Benchmarks.BenchmarkConfig.Create());
}
