using BenchmarkDotNet.Running;

// `fidelity` compares int8 with fp32 embeddings; anything else goes to BenchmarkDotNet (--filter, --list, ...).
if (args is ["fidelity", ..])
{
    RouteLLM.Benchmarks.EmbeddingFidelity.Run(args[1..]);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, RouteLLM.Benchmarks.BenchmarkConfig.Create());
}
