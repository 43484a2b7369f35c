using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers;

public sealed class RandomRouterTests
{
    private static readonly Battle[] Battles =
    [
        new("What is 2+2?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins),
        new("Write a haiku.", "mistralai/Mixtral-8x7B-Instruct-v0.1", "gpt-4-1106-preview", BattleOutcome.Tie),
    ];

    private static RandomRouterModel Train(int seed)
    {
        var ml = new MLContext(seed: 1);
        return ml.Routing().Trainers.Random(new RandomRouterTrainer.Options { Seed = seed })
            .Fit(ml.Routing().LoadBattles(Battles)).Model;
    }

    [Fact]
    public async Task Scores_are_uniform_seeded_and_stable_per_prompt()
    {
        var scorer = new RouterScorer(Train(seed: 7));
        var prompts = Enumerable.Range(0, 4000).Select(i => $"prompt {i}").ToArray();
        var rates = await scorer.StrongWinRatesAsync(prompts);

        Assert.All(rates, r => Assert.InRange(r, 0f, 1f));
        Assert.InRange(rates.Average(), 0.48, 0.52);
        Assert.InRange(rates.Count(r => r < 0.1f) / 4000.0, 0.085, 0.115);
        Assert.Equal(rates[17], await scorer.StrongWinRateAsync("prompt 17"));
        Assert.NotEqual(rates, await new RouterScorer(Train(seed: 8)).StrongWinRatesAsync(prompts));
    }

    [Fact]
    public void Manifest_records_canonical_models_and_digest()
    {
        var manifest = Train(seed: 7).Manifest;
        Assert.Equal("random", manifest.Kind);
        Assert.Equal(["gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1"], manifest.Models);
        Assert.Equal(64, manifest.TrainingDataDigest.Length);
        Assert.Null(manifest.Embedder);
    }

    [Fact]
    public async Task Zip_round_trip_gives_identical_scores_and_bytes()
    {
        var model = Train(seed: 3);
        var loaded = RouterZipRoundTrip.AssertSameBytes(model);
        var prompts = new[] { "a", "b", "Hello, world" };
        Assert.Equal(await new RouterScorer(model).StrongWinRatesAsync(prompts), await new RouterScorer(loaded).StrongWinRatesAsync(prompts));
    }

    [Fact]
    public void Transformer_adds_strong_win_rate_column()
    {
        var ml = new MLContext(seed: 1);
        var transformer = ml.Routing().Trainers.Random().Fit(ml.Routing().LoadBattles(Battles));
        var scored = transformer.Transform(ml.Routing().LoadBattles(Battles));
        var rates = scored.GetColumn<float>(RouterTransformer.StrongWinRateColumnName).ToArray();
        Assert.Equal(2, rates.Length);
        Assert.All(rates, r => Assert.InRange(r, 0f, 1f));
    }
}
