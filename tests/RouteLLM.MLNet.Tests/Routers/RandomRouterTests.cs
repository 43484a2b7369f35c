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

    internal static RandomRouterModel Train(int seed)
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
    public void Transformer_adds_strong_win_rate_column()
    {
        var ml = new MLContext(seed: 1);
        var transformer = ml.Routing().Trainers.Random().Fit(ml.Routing().LoadBattles(Battles));
        var scored = transformer.Transform(ml.Routing().LoadBattles(Battles));
        var rates = scored.GetColumn<float>(RouterTransformer.StrongWinRateColumnName).ToArray();
        Assert.Equal(2, rates.Length);
        Assert.All(rates, r => Assert.InRange(r, 0f, 1f));
    }

    [Fact]
    public void Random_router_draws_each_model_uniformly_and_reproducibly()
    {
        var models = Enumerable.Range(0, 20).Select(i => $"m{i:00}").ToArray();
        var router = new RandomRouterModel(new RouterManifest { Kind = "random", Assembly = "RouteLLM.MLNet", StrongModel = "m00", WeakModel = "m01", Models = models }, seed: 7);
        var prompts = Enumerable.Range(0, 500).Select(i => $"prompt {i}").ToArray();

        var first = router.PredictQualities(prompts, []);
        var second = router.PredictQualities(prompts, []);

        Assert.Equal(models, first.Models);
        Assert.Equal(first.Quality, second.Quality);
        Assert.All(first.Quality, q => Assert.InRange(q, 0f, 1f));
        Assert.InRange(first.Quality.Average(), 0.47, 0.53);
        var winners = Enumerable.Range(0, prompts.Length).Select(p => first.QualityRow(p).IndexOf(MaxOf(first.QualityRow(p)))).Distinct().Count();
        Assert.Equal(models.Length, winners);
    }

    private static float MaxOf(ReadOnlySpan<float> values)
    {
        var max = float.MinValue;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }
}
