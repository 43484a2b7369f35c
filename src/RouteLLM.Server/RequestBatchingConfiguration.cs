using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// Micro-batching of request embeddings: configuration section <c>RouteLLM:Server:Batching</c> with <c>Enabled</c>
/// (default false), <c>Window</c> (default 2 ms) and <c>MaxBatchSize</c> (default 16), the options of
/// <see cref="MicroBatchingOptions"/>. Off by default: on two cores it did not add throughput, and with int8 weights
/// it makes a decision depend on the prompts batched with it (docs/BENCHMARKS.md).
/// </summary>
internal static class RequestBatchingConfiguration
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RouteLLM:Server:Batching";

    /// <summary>Sets <see cref="RouterPoolOptions.RequestBatching"/> from the section when it is enabled.</summary>
    public static void AddRequestBatching(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        services.Configure<RouterPoolOptions>(pool =>
        {
            if (section.GetValue<bool>("Enabled"))
            {
                pool.RequestBatching = section.Get<MicroBatchingOptions>() ?? new MicroBatchingOptions();
            }
        });
    }
}
