using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.MLNet.Scoring;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.SimilarityWeighted;

public sealed class SimilarityWeightedRouterTests
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mixtral-8x7b-instruct-v0.1";
    private const string Middle = "claude-2";
    private const int Dimension = 16;

    internal static readonly string[] Prompts = [.. Enumerable.Range(0, 10).Select(i => $"a training prompt, number {i}, long enough")];

    // Prompt 0: the weak model beats the strong one five times; prompts 1–9: the strong model wins three times each.
    internal static List<Battle> PullBattles()
    {
        var battles = new List<Battle>();
        for (var i = 0; i < 5; i++) battles.Add(new(Prompts[0], Weak, Strong, BattleOutcome.ModelAWins));
        foreach (var prompt in Prompts.Skip(1))
        {
            for (var i = 0; i < 3; i++) battles.Add(new(prompt, Strong, Weak, i == 1 ? BattleOutcome.ModelBWins : BattleOutcome.ModelAWins));
            battles.Add(new(prompt, Strong, Middle, BattleOutcome.Tie));
            battles.Add(new(prompt, Middle, Weak, BattleOutcome.ModelAWins));
        }

        return battles;
    }

    internal static readonly Func<string, float[]> Embed = SwTestData.RandomEmbedder(Dimension, seed: 4);

    internal static SimilarityWeightedRouterModel Train(IEnumerable<Battle> battles, Action<SimilarityWeightedRouterTrainer.Options>? configure = null)
    {
        var ml = new MLContext(seed: 1);
        var options = SwTestData.Options(Dimension, tiers: 3, Strong, Weak);
        configure?.Invoke(options);
        return ml.Routing().Trainers.SimilarityWeighted(options).Fit(SwTestData.View(ml, battles, Embed, Dimension)).Model;
    }

    private static float Score(RouterModel model, float[] embedding)
    {
        var rate = new float[1];
        model.CalculateStrongWinRates(["q"], embedding, rate);
        return rate[0];
    }

    [Fact]
    public void A_query_equal_to_a_training_prompt_pulls_the_ratings_toward_that_prompts_battles()
    {
        var model = Train(PullBattles());
        var global = Train(PullBattles(), o => o.SimilarityBase = 1);
        var strongTier = model.ModelTiers[Strong];
        var weakTier = model.ModelTiers[Weak];

        var atUpset = model.TierRatings(Embed(Prompts[0]));
        var atOther = model.TierRatings(Embed(Prompts[4]));
        var overall = global.TierRatings(Embed(Prompts[0]));

        Assert.True(atUpset[weakTier] > atUpset[strongTier], "at the upset prompt the weak tier is rated above the strong one");
        Assert.True(overall[strongTier] > overall[weakTier], "over all prompts alike the strong tier leads");
        Assert.True(atOther[strongTier] - atOther[weakTier] > overall[strongTier] - overall[weakTier]);
        Assert.True(Score(model, Embed(Prompts[0])) < 0.5f);
        Assert.True(Score(model, Embed(Prompts[4])) > Score(global, Embed(Prompts[4])));
    }

    [Fact]
    public void A_query_with_no_positive_similarity_weighs_every_battle_alike()
    {
        var model = Train(PullBattles());
        var global = Train(PullBattles(), o => o.SimilarityBase = 1);

        Assert.Equal(global.TierRatings(Embed("anything at all")), model.TierRatings(new float[Dimension]));
        Assert.Throws<ArgumentException>(() => model.TierRatings([.. Enumerable.Repeat(float.NaN, Dimension)]));
    }

    [Fact]
    public void Any_two_trained_models_can_be_scored()
    {
        var model = Train(PullBattles());
        var query = Embed("an unseen query");
        var rate = Score(model, query);

        var swapped = model.WithModels(Weak, Strong);
        Assert.Equal(1 - rate, Score(swapped, query), 1e-6);
        var ratings = model.TierRatings(query);
        Assert.Equal(1 / (1 + Math.Pow(10, (ratings[model.ModelTiers[Weak]] - ratings[model.ModelTiers[Middle]]) / 400)),
            Score(model.WithModels(Middle, Weak), query), 1e-6);
        Assert.Throws<ArgumentException>(() => model.WithModels(Strong, "unknown-model"));
    }

    [Fact]
    public void Models_sharing_a_tier_score_one_half()
    {
        var model = Train(PullBattles(), o => o.Tiers = 1);
        Assert.Equal(0.5f, Score(model, Embed(Prompts[0])));
    }

    [Fact]
    public void Short_prompts_are_dropped_and_counted()
    {
        var battles = PullBattles();
        battles.Add(new("  hi there  ", Strong, "orphan-model", BattleOutcome.ModelAWins));
        battles.Add(new("exactly16chars!!", Strong, Weak, BattleOutcome.Tie));

        var model = Train(battles);

        Assert.Equal(1, model.Manifest.TrainingMetrics["battles_dropped_short_prompt"]);
        Assert.Equal(battles.Count - 1, model.Manifest.TrainingMetrics["battles"]);
        Assert.DoesNotContain("orphan-model", model.Manifest.Models);
        Assert.Equal(Prompts.Length + 1, model.TrainingPrompts!.Count);
    }

    [Fact]
    public void Gold_battles_are_weighted_and_counted()
    {
        var ml = new MLContext(seed: 1);
        var gold = Enumerable.Range(0, 6).Select(i => new Battle($"a gold benchmark question {i}", Strong, Weak, BattleOutcome.ModelBWins)).ToList();
        SimilarityWeightedRouterModel TrainWithGold(float weight) => ml.Routing().Trainers.SimilarityWeighted(SwTestData.Options(Dimension, tiers: 3, Strong, Weak))
            .Fit(SwTestData.View(ml, GoldBattles.Augment(PullBattles(), gold, weight), Embed, Dimension)).Model;

        var light = TrainWithGold(1);
        var heavy = TrainWithGold(20);

        Assert.Equal(6, heavy.Manifest.TrainingMetrics["gold_battles"]);
        Assert.Equal(0, Train(PullBattles().Concat(gold)).Manifest.TrainingMetrics["gold_battles"]);
        Assert.Equal(Prompts.Length + 6, heavy.TrainingPrompts!.Count);
        Assert.True(Score(heavy, Embed(Prompts[4])) < Score(light, Embed(Prompts[4])));
        Assert.NotEqual(light.Manifest.TrainingDataDigest, Train(PullBattles()).Manifest.TrainingDataDigest);
    }

    [Fact]
    public void Bad_options_give_clear_errors()
    {
        var ml = new MLContext(seed: 1);
        SimilarityWeightedRouterTrainer Trainer(Action<SimilarityWeightedRouterTrainer.Options> configure)
        {
            var options = SwTestData.Options(Dimension, tiers: 3, Strong, Weak);
            configure(options);
            return ml.Routing().Trainers.SimilarityWeighted(options);
        }

        Assert.Contains("Options.Tiers", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(o => o.Tiers = 0)).Message);
        Assert.Contains("Options.SimilarityBase", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(o => o.SimilarityBase = 0.5)).Message);
        Assert.Contains("Options.MinPromptLength", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(o => o.MinPromptLength = -1)).Message);

        var tooMany = Assert.Throws<ArgumentException>(() => Trainer(o => o.Tiers = 4).Fit(SwTestData.View(ml, PullBattles(), Embed, Dimension)));
        Assert.Contains("Tiers is 4, but the battles (prompts of at least 16 characters) rate only 3 models", tooMany.Message);
        var unknownPair = Assert.Throws<ArgumentException>(() => Trainer(o => o.WeakModel = "not-in-data").Fit(SwTestData.View(ml, PullBattles(), Embed, Dimension)));
        Assert.Contains("not-in-data", unknownPair.Message);
    }

    [Fact]
    public async Task Scorer_and_pipeline_give_the_routers_scores()
    {
        var embedder = new HashingEmbeddingGenerator(Dimension);
        var ml = new MLContext(seed: 1);
        var options = SwTestData.Options(Dimension, tiers: 3, Strong, Weak);
        options.Embedder = EmbedderInfo.From(embedder);
        var transformer = ml.Routing().Trainers.SimilarityWeighted(options).Fit(SwTestData.View(ml, PullBattles(), embedder.Embed, Dimension));

        var scored = transformer.Transform(SwTestData.View(ml, PullBattles().Take(2), embedder.Embed, Dimension));
        var fromPipeline = scored.GetColumn<float>(RouterTransformer.StrongWinRateColumnName).First();
        var fromScorer = await new RouterScorer(transformer.Model, embedder).StrongWinRateAsync(Prompts[0]);
        Assert.Equal(Score(transformer.Model, embedder.Embed(Prompts[0])), fromScorer);
        Assert.Equal(fromScorer, fromPipeline);
    }

    [Fact]
    public async Task Scorer_in_batches_gives_the_one_call_scores_and_reports_progress()
    {
        var embedder = new HashingEmbeddingGenerator(Dimension);
        var ml = new MLContext(seed: 1);
        var options = SwTestData.Options(Dimension, tiers: 3, Strong, Weak);
        options.Embedder = EmbedderInfo.From(embedder);
        var model = ml.Routing().Trainers.SimilarityWeighted(options).Fit(SwTestData.View(ml, PullBattles(), embedder.Embed, Dimension)).Model;
        var scorer = new RouterScorer(model, embedder);
        var whole = await scorer.StrongWinRatesAsync(Prompts);
        var reported = new List<int>();
        var callsBefore = embedder.Calls;

        var batched = await scorer.StrongWinRatesAsync(Prompts, batchSize: 4, new SynchronousProgress(reported.Add));

        Assert.Equal(whole, batched);
        Assert.Equal([4, 8, 10], reported);
        Assert.Equal(3, embedder.Calls - callsBefore);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => scorer.StrongWinRatesAsync(Prompts, batchSize: 0));
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
