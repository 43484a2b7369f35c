using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.Server.Tests;

/// <summary>A server with upstreams whose prices, models or keys are wrong does not start, and says which setting.</summary>
public sealed class MultiModelStartupTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public MultiModelStartupTests() =>
        RouterZip.Save(ScriptedQualityRouterModel.Create(["big", "small"], [0.5f, 0.5f]), _directory.File("q.zip"));

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Upstreams_without_prices_do_not_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(Upstream(0, "big")));
        Assert.Contains("RouteLLM:Models", error.Message);
        Assert.Contains("RouteLLM:Catalogue", error.Message);
    }

    [Fact]
    public void An_upstream_model_missing_from_the_catalogue_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(Upstream(0, "big"), Upstream(1, "gpt-9"), Priced(0, "big"), Priced(1, "small")));
        Assert.Contains("RouteLLM:Server:Upstreams:1:Model 'gpt-9' is not in the catalogue", error.Message);
    }

    [Fact]
    public void A_catalogue_file_with_a_bad_price_is_named_with_its_line_and_field()
    {
        var file = _directory.File("catalogue.csv");
        File.WriteAllLines(file, ["model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars", "big,,1,40,1000", "small,,NaN,2,400"]);
        var error = Assert.Throws<InvalidOperationException>(() => Build(Upstream(0, "big"), Upstream(1, "small"), [new("RouteLLM:Catalogue", file)]));
        Assert.Contains("catalogue.csv", error.Message);
        Assert.Contains("input_usd_per_mtok", error.Message);
        Assert.Contains("3", error.Message);
    }

    [Fact]
    public void A_catalogue_file_prices_the_upstreams()
    {
        var file = _directory.File("catalogue.csv");
        File.WriteAllLines(file, ["model,aliases,input_usd_per_mtok,output_usd_per_mtok,avg_output_chars,price_source", "big,big-v1|big-latest,1,40,1000,list", "small,,0.1,2,400,list"]);
        using var app = Build(Upstream(0, "big-latest"), Upstream(1, "small"), [new("RouteLLM:Catalogue", file)]);
        Assert.Equal(["big", "small"], app.Services.GetRequiredService<ServedModels>().Router!.Models);
    }

    [Fact]
    public void A_key_variable_that_is_not_set_stops_the_server_without_showing_any_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(
            Upstream(0, "big"), Upstream(1, "small"), Priced(0, "big"), Priced(1, "small"), [new("RouteLLM:Server:Upstreams:1:ApiKeyVariable", "ROUTELLM_TEST_UNSET_VARIABLE")]));
        Assert.Contains("RouteLLM:Server:Upstreams:1:ApiKeyVariable names environment variable 'ROUTELLM_TEST_UNSET_VARIABLE', which is not set", error.Message);
    }

    [Fact]
    public void Two_upstreams_for_one_model_do_not_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Build(Upstream(0, "big"), Upstream(1, "big"), Priced(0, "big")));
        Assert.Contains("RouteLLM:Server:Upstreams:1:Model 'big' has another upstream already", error.Message);
    }

    [Theory]
    [InlineData("shadow-q-wtp-20-to-mid", "sends to 'mid', which this server does not route among")]
    [InlineData("shadow-x-wtp-20-to-big", "names router 'x', which is not configured")]
    [InlineData("shadow-q-wtp-20", "names no model to send to")]
    public void A_listed_shadow_name_that_cannot_be_served_stops_the_server(string model, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(
            Upstream(0, "big"), Upstream(1, "small"), Priced(0, "big"), Priced(1, "small"), [new("RouteLLM:Server:Models:0", model)]));
        Assert.Contains("RouteLLM:Server:Models", error.Message);
        Assert.Contains(message, error.Message);
    }

    private static KeyValuePair<string, string?>[] Upstream(int index, string model) =>
    [
        new($"RouteLLM:Server:Upstreams:{index}:BaseUrl", "http://127.0.0.1:9/v1"),
        new($"RouteLLM:Server:Upstreams:{index}:Model", model),
    ];

    private static KeyValuePair<string, string?>[] Priced(int index, string model) =>
    [
        new($"RouteLLM:Models:{index}:Model", model),
        new($"RouteLLM:Models:{index}:InputUsdPerMTok", "1"),
        new($"RouteLLM:Models:{index}:OutputUsdPerMTok", "2"),
        new($"RouteLLM:Models:{index}:AvgOutputChars", "400"),
    ];

    private WebApplication Build(params KeyValuePair<string, string?>[][] settings)
    {
        var builder = RouteLLMServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection([new("RouteLLM:Routers:q:Path", _directory.File("q.zip")), .. settings.SelectMany(s => s)]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return RouteLLMServer.Build(builder);
    }
}
