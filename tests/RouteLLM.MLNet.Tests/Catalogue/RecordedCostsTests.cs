using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Tests.Catalogue;

public sealed class RecordedCostsTests
{
    // "hello world" is 2 cl100k_base tokens: at $10 per million input tokens its prompt part is 0.00002.
    private const string Prompt = "hello world";

    private static CatalogueModel Model(string name, double input, double output, params string[] aliases) =>
        new() { Model = name, Aliases = aliases, InputUsdPerMTok = input, OutputUsdPerMTok = output, AvgOutputChars = 100 };

    private static ScoredPrompt Scored(params (string Model, double Cost)[] costs) => new(
        Prompt, costs.ToDictionary(c => c.Model, _ => 1.0), costs.ToDictionary(c => c.Model, c => c.Cost));

    [Fact]
    public void The_prompt_part_scales_with_the_input_price_and_the_rest_with_the_output_price()
    {
        var recordedAt = ModelCatalogue.Create([Model("gpt", 10, 30, "openai/gpt")]);
        var dearerInput = ModelCatalogue.Create([Model("gpt", 20, 30)]);
        var dearerOutput = ModelCatalogue.Create([Model("gpt", 10, 60)]);
        ScoredPrompt[] scores = [Scored(("openai/gpt", 0.0001))];

        // 0.0001 = 0.00002 (2 tokens × $10/M) + 0.00008 (answer): doubling the input price gives 0.00004 + 0.00008,
        // doubling the output price 0.00002 + 0.00016.
        Assert.Equal(0.00012, RecordedCosts.Reprice(scores, recordedAt, dearerInput, TokenCounter.Default)[0].CostsUsd["openai/gpt"], 12);
        Assert.Equal(0.00018, RecordedCosts.Reprice(scores, recordedAt, dearerOutput, TokenCounter.Default)[0].CostsUsd["openai/gpt"], 12);
    }

    [Fact]
    public void A_cost_below_the_prompts_estimate_is_all_prompt_part()
    {
        var recordedAt = ModelCatalogue.Create([Model("gpt", 10, 30)]);
        var priced = ModelCatalogue.Create([Model("gpt", 20, 90)]);

        var repriced = RecordedCosts.Reprice([Scored(("gpt", 0.00001))], recordedAt, priced, TokenCounter.Default);

        Assert.Equal(0.00002, repriced[0].CostsUsd["gpt"], 12);
    }

    [Fact]
    public void Models_either_catalogue_lacks_or_with_unchanged_prices_keep_their_recorded_costs()
    {
        var recordedAt = ModelCatalogue.Create([Model("gpt", 10, 30), Model("same", 1, 2)]);
        var priced = ModelCatalogue.Create([Model("gpt", 5, 15), Model("same", 1, 2), Model("new-only", 1, 1)]);

        var repriced = RecordedCosts.Reprice([Scored(("gpt", 0.0001), ("same", 0.5), ("unlisted", 0.25), ("new-only", 0.125))], recordedAt, priced, TokenCounter.Default)[0];

        Assert.Equal(0.00005, repriced.CostsUsd["gpt"], 12);
        Assert.Equal([0.5, 0.25, 0.125], [repriced.CostsUsd["same"], repriced.CostsUsd["unlisted"], repriced.CostsUsd["new-only"]]);
        Assert.Equal(1.0, repriced.Scores["gpt"]);
    }

    [Fact]
    public void A_new_output_price_for_costs_recorded_at_a_free_output_price_is_refused_naming_the_model()
    {
        var recordedAt = ModelCatalogue.Create([Model("free", 1, 0)]);
        var priced = ModelCatalogue.Create([Model("free", 1, 3)]);

        var error = Assert.Throws<ArgumentException>(() => RecordedCosts.Reprice([Scored(("free", 0.1))], recordedAt, priced, TokenCounter.Default));

        Assert.StartsWith("free:", error.Message, StringComparison.Ordinal);
    }
}
