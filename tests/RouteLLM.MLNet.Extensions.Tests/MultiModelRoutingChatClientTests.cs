using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests;

/// <summary>
/// Three models without input prices, so that a request costs exactly its typical answer: big 250 tokens × 40 USD/Mtok
/// = 0.01, mid 250 × 8 = 0.002, small 100 × 2 = 0.0002. For <c>q=0.9,0.8,0.5</c>, λ = 20 scores 0.7, 0.76 and 0.496
/// (mid, big, small); λ = 1000 scores −9.1, −1.2 and 0.3 (small); a floor of 0.15 leaves big and mid (mid).
/// </summary>
public sealed class MultiModelRoutingChatClientTests : IDisposable
{
    private const string Prompt = "q=0.9,0.8,0.5 explain monads";

    private static readonly ModelCatalogue Catalogue = ModelCatalogue.Create(
    [
        new CatalogueModel { Model = "big", InputUsdPerMTok = 0, OutputUsdPerMTok = 40, AvgOutputChars = 1000 },
        new CatalogueModel { Model = "mid", Aliases = ["mid-chat"], InputUsdPerMTok = 0, OutputUsdPerMTok = 8, AvgOutputChars = 1000 },
        new CatalogueModel { Model = "small", InputUsdPerMTok = 0, OutputUsdPerMTok = 2, AvgOutputChars = 400 },
    ]);

    private readonly TemporaryDirectory _directory = new();
    private readonly RouterPool _pool;
    private readonly MultiModelRouter _models;
    private readonly Dictionary<string, IChatClient> _clients;

    public MultiModelRoutingChatClientTests()
    {
        var router = _directory.File("q.zip");
        RouterZip.Save(ScriptedQualityRouterModel.Create(["big", "mid-chat", "small"], [0.5f, 0.5f, 0.5f]), router);
        var prompts = _directory.File("prompts.txt");
        File.WriteAllLines(prompts, Enumerable.Repeat(Prompt, 3));
        _pool = new RouterPool(Options.Create(new RouterPoolOptions { WatchForChanges = false }.AddRouter("q", router, prompts)));
        _models = new MultiModelRouter(Catalogue, ["big", "mid", "small"], new Dictionary<string, string> { ["q"] = prompts });
        _clients = new() { ["big"] = new RecordingChatClient("big"), ["mid"] = new RecordingChatClient("mid"), ["small"] = new RecordingChatClient("small") };
    }

    public void Dispose()
    {
        _pool.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(ModelPolicyKind.WillingnessToPay, 0, "big", 0.9, 0.01)]
    [InlineData(ModelPolicyKind.WillingnessToPay, 20, "mid", 0.8, 0.002)]
    [InlineData(ModelPolicyKind.WillingnessToPay, 1000, "small", 0.5, 0.0002)]
    [InlineData(ModelPolicyKind.QualityFloor, 0.15, "mid", 0.8, 0.002)]
    [InlineData(ModelPolicyKind.Budget, 0.005, "mid", 0.8, 0.002)]
    [InlineData(ModelPolicyKind.Budget, 0.02, "big", 0.9, 0.01)]
    public async Task Each_policy_sends_the_request_to_the_hand_computed_model(ModelPolicyKind kind, double value, string expected, double quality, double cost)
    {
        using var client = new MultiModelRoutingChatClient(_clients, _models, _pool, "q", Policy(kind, value));

        var response = await client.GetResponseAsync(Prompt);

        Assert.Equal("from " + expected, response.Text);
        Assert.Equal(expected, response.ModelId);
        Assert.Equal(expected, response.AdditionalProperties![MultiModelRoutingChatClient.ModelProperty]);
        Assert.Equal((float)quality, response.AdditionalProperties[MultiModelRoutingChatClient.PredictedQualityProperty]);
        Assert.Equal(cost, (double)response.AdditionalProperties[MultiModelRoutingChatClient.EstimatedCostProperty]!, 15);
        Assert.Equal(0.01, (double)response.AdditionalProperties[MultiModelRoutingChatClient.MostExpensiveCostProperty]!, 15);
    }

    [Fact]
    public async Task A_budget_calibrates_lambda_where_mid_overtakes_big()
    {
        var ranking = await _models.RankAsync(_pool.Get("q"), Prompt, Prompt, ModelPolicy.Budget(0.005));

        // 0.9 − λ × 0.01 = 0.8 − λ × 0.002 at λ = 0.1 / 0.008 = 12.5 (qualities are floats: 0.9f − 0.8f is 0.09999996).
        Assert.Equal(((double)0.9f - 0.8f) / 0.008, ranking.Lambda!.Value, 1e-6);
        Assert.Equal(["mid", "big", "small"], ranking.Candidates.Select(c => c.Model));
    }

    [Fact]
    public async Task Predictions_made_earlier_rank_as_the_text_does_and_must_be_one_row()
    {
        var router = _pool.Get("q");
        var predictions = await router.Scorer.PredictQualitiesAsync([Prompt]);

        var fromText = await _models.RankAsync(router, Prompt, Prompt, ModelPolicy.WillingnessToPay(20), ["mid", "small"]);
        var fromPredictions = await _models.RankAsync(router, predictions, Prompt, ModelPolicy.WillingnessToPay(20), ["mid", "small"]);

        Assert.Equal(fromText.Candidates, fromPredictions.Candidates);
        Assert.Equal(["mid", "small"], fromPredictions.Candidates.Select(c => c.Model));
        var twoRows = await router.Scorer.PredictQualitiesAsync([Prompt, Prompt]);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await _models.RankAsync(router, twoRows, Prompt, ModelPolicy.WillingnessToPay(20)));
        Assert.Equal("predictions", error.ParamName);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(async () => await _models.RankAsync(router, predictions, Prompt, ModelPolicy.WillingnessToPay(20), ["huge"]));
        Assert.Contains("'huge'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_throws_passes_the_request_to_the_next_ranked_model()
    {
        _clients["mid"] = new ThrowingChatClient();
        using var client = new MultiModelRoutingChatClient(_clients, _models, _pool, "q", ModelPolicy.WillingnessToPay(20));

        var response = await client.GetResponseAsync(Prompt);
        Assert.Equal("from big", response.Text);
        Assert.Equal(0.9f, response.AdditionalProperties![MultiModelRoutingChatClient.PredictedQualityProperty]);

        var updates = await client.GetStreamingResponseAsync(Prompt).ToListAsync();
        Assert.Equal("big0 big1 big2 ", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal("big", u.ModelId));
    }

    [Fact]
    public async Task A_request_narrows_the_models_and_an_unknown_one_is_named()
    {
        using var client = new MultiModelRoutingChatClient(_clients, _models, _pool, "q", ModelPolicy.WillingnessToPay(0));
        var narrowed = new ChatOptions { AdditionalProperties = new() { [MultiModelRoutingChatClient.AllowedModelsProperty] = new[] { "small", "mid-chat" } } };

        Assert.Equal("from mid", (await client.GetResponseAsync(Prompt, narrowed)).Text);

        var unknown = new ChatOptions { AdditionalProperties = new() { [MultiModelRoutingChatClient.AllowedModelsProperty] = new[] { "small", "gpt-9" } } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Prompt, unknown));
        Assert.Contains("'gpt-9'", error.Message);
    }

    [Fact]
    public void Every_model_needs_one_client_and_every_client_a_model()
    {
        var missing = new Dictionary<string, IChatClient>(_clients);
        missing.Remove("small");
        Assert.Contains("'small'", Assert.Throws<ArgumentException>(() => new MultiModelRoutingChatClient(missing, _models, _pool, "q", ModelPolicy.WillingnessToPay(0))).Message);

        var stranger = new Dictionary<string, IChatClient>(_clients) { ["gpt-9"] = new RecordingChatClient("x") };
        Assert.Contains("'gpt-9'", Assert.Throws<ArgumentException>(() => new MultiModelRoutingChatClient(stranger, _models, _pool, "q", ModelPolicy.WillingnessToPay(0))).Message);
    }

    [Fact]
    public async Task Keyed_services_supply_the_model_clients_and_keep_owning_them()
    {
        var services = new ServiceCollection();
        services.AddRouteLLM(o => o.AddRouter("q", _directory.File("q.zip"), _directory.File("prompts.txt")).WatchForChanges = false);
        services.AddRouteLLMModels(Catalogue, "big", "mid-chat", "small");
        foreach (var (model, client) in _clients)
        {
            services.AddKeyedSingleton(model, client);
        }

        await using var provider = services.BuildServiceProvider();
        using (var client = new ChatClientBuilder(sp => MultiModelRoutingChatClient.FromKeyedServices(sp, "q", ModelPolicy.QualityFloor(0.15))).Build(provider))
        {
            Assert.Equal("from mid", (await client.GetResponseAsync(Prompt)).Text);
        }

        Assert.False(((RecordingChatClient)_clients["mid"]).Disposed);
    }

    private static ModelPolicy Policy(ModelPolicyKind kind, double value) => kind switch
    {
        ModelPolicyKind.WillingnessToPay => ModelPolicy.WillingnessToPay(value),
        ModelPolicyKind.Budget => ModelPolicy.Budget(value),
        _ => ModelPolicy.QualityFloor(value),
    };

    private sealed class ThrowingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("connection refused");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new HttpRequestException("connection refused");
#pragma warning disable CS0162 // An iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
