using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server.Tests;

public sealed class RequestBatchingConfigurationTests
{
    [Fact]
    public void Batching_is_off_unless_enabled_even_when_its_other_settings_are_given()
    {
        Assert.Null(PoolOptions(new() { ["RouteLLM:Server:Batching:MaxBatchSize"] = "32" }).RequestBatching);
        Assert.Null(PoolOptions(new() { ["RouteLLM:Server:Batching:Enabled"] = "false" }).RequestBatching);
    }

    [Fact]
    public void Enabled_batching_takes_its_window_and_batch_size_or_the_defaults()
    {
        var given = PoolOptions(new()
        {
            ["RouteLLM:Server:Batching:Enabled"] = "true",
            ["RouteLLM:Server:Batching:Window"] = "00:00:00.005",
            ["RouteLLM:Server:Batching:MaxBatchSize"] = "32",
        }).RequestBatching;
        var defaults = PoolOptions(new() { ["RouteLLM:Server:Batching:Enabled"] = "true" }).RequestBatching;

        Assert.Equal((TimeSpan.FromMilliseconds(5), 32), (given!.Window, given.MaxBatchSize));
        Assert.Equal((TimeSpan.FromMilliseconds(2), 16), (defaults!.Window, defaults.MaxBatchSize));
    }

    private static RouterPoolOptions PoolOptions(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddRouteLLMServer(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<RouterPoolOptions>>().Value;
    }
}
