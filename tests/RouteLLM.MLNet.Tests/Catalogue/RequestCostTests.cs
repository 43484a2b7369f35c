using RouteLLM.MLNet.Catalogue;

namespace RouteLLM.MLNet.Tests.Catalogue;

public sealed class RequestCostTests
{
    private static readonly CatalogueModel Gpt4 = new() { Model = "gpt-4-1106-preview", InputUsdPerMTok = 10, OutputUsdPerMTok = 30, AvgOutputChars = 2000 };

    [Fact]
    public void Cost_is_prompt_tokens_times_input_price_plus_answer_tokens_times_output_price()
    {
        // 100 × 10 / 1e6 + 500 × 30 / 1e6 = 0.001 + 0.015
        Assert.Equal(0.016, RequestCost.Usd(Gpt4, promptTokens: 100, answerTokens: 500), 12);
    }

    [Fact]
    public void Without_the_answer_length_the_answer_is_the_typical_length_in_four_character_tokens()
    {
        // 2000 chars / 4 = 500 tokens: the same cost as above.
        Assert.Equal(0.016, RequestCost.Usd(Gpt4, promptTokens: 100), 12);
    }

    [Fact]
    public void Counts_prompt_tokens_with_cl100k_base()
    {
        // cl100k_base: "hello" and " world" are one token each.
        Assert.Equal(2, TokenCounter.Default.Count("hello world"));
        Assert.Equal(0, TokenCounter.Default.Count(""));
    }

    [Fact]
    public void Prices_a_prompt_on_every_model_and_rejects_one_the_catalogue_lacks()
    {
        var cheap = new CatalogueModel { Model = "cheap", Aliases = ["c"], InputUsdPerMTok = 1, OutputUsdPerMTok = 2, AvgOutputChars = 400 };
        var catalogue = ModelCatalogue.Create([Gpt4, cheap]);
        var costs = new double[2];

        RequestCost.Usd(catalogue, ["gpt-4-1106-preview", "c"], "hello world", TokenCounter.Default, costs);

        Assert.Equal((2 * 10 + 500 * 30) / 1e6, costs[0], 12);
        Assert.Equal((2 * 1 + 100 * 2) / 1e6, costs[1], 12);
        var error = Assert.Throws<ArgumentException>(() => RequestCost.Usd(catalogue, ["claude-2"], "x", TokenCounter.Default, new double[1]));
        Assert.Contains("claude-2", error.Message);
    }
}
