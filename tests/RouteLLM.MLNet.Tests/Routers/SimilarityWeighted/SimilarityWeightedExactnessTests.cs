using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;
using RouteLLM.MLNet.Tests.Ranking;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Routers.SimilarityWeighted;

/// <summary>The router's per-prompt aggregation gives RouteLLM's fit over every (duplicated, weighted) battle row.</summary>
public sealed class SimilarityWeightedExactnessTests
{
    private const int Dimension = 8;
    private const float GoldWeight = 2.5f;
    private static readonly string[] Models = ["gpt-4-1106-preview", "claude-2", "llama-2-70b-chat", "vicuna-13b", "mixtral-8x7b-instruct-v0.1", "alpaca-7b"];

    [Fact]
    public void Tier_ratings_equal_a_rowwise_weighted_logistic_regression_to_a_thousandth_of_an_elo()
    {
        var planted = SyntheticBattles.Create(promptCount: 12, battleCount: 150, tieRate: 0.2, seed: 3, names: Models,
            skills: [.. new[] { 1.2, 0.9, 0.2, 0.1, 0.0, -0.8 }.Select(log10Odds => log10Odds * Math.Log(10))], promptEffect: 0,
            promptText: i => $"training prompt number {i:D2} about topic {i % 4}", weights: (0.5f, 2f));
        var (prompts, battles) = (planted.Prompts, planted.Battles);

        // Gold battles: the strong model against the weak one; one gold prompt is also a battle prompt.
        var gold = Enumerable.Range(0, 10).Select(i => new Battle(
            i == 0 ? prompts[3] : $"gold prompt number {i:D2} with a question", Models[0], Models[4],
            i % 3 == 0 ? BattleOutcome.ModelBWins : i % 3 == 1 ? BattleOutcome.ModelAWins : BattleOutcome.Tie)).ToList();

        var embed = SwTestData.RandomEmbedder(Dimension, seed: 9);
        var ml = new MLContext(seed: 1);
        var options = SwTestData.Options(Dimension, tiers: 3, Models[0], Models[4]);
        var model = ml.Routing().Trainers.SimilarityWeighted(options)
            .Fit(SwTestData.View(ml, GoldBattles.Augment(battles, gold, GoldWeight), embed, Dimension)).Model;

        Assert.Equal(3, model.TierCount);
        Assert.Contains(battles, b => model.ModelTiers[b.ModelA] == model.ModelTiers[b.ModelB]);
        var queries = new[] { embed("an unseen query"), embed(prompts[5]), embed(gold[4].Prompt) };
        foreach (var query in queries)
        {
            var reference = ReferenceTierRatings(model, battles, gold, embed, query);
            var ratings = model.TierRatings(query);
            for (var t = 0; t < reference.Length; t++)
            {
                Assert.Equal(reference[t], ratings[t], 1e-3);
            }

            var strong = reference[model.ModelTiers[Models[0]]];
            var weak = reference[model.ModelTiers[Models[4]]];
            var rate = new float[1];
            model.CalculateStrongWinRates(["query"], query, rate);
            Assert.Equal(1 - 1 / (1 + Math.Pow(10, (strong - weak) / 400)), rate[0], 1e-6);
        }
    }

    private static double[] ReferenceTierRatings(SimilarityWeightedRouterModel model, IReadOnlyList<Battle> battles, List<Battle> gold,
        Func<string, float[]> embed, float[] query)
    {
        static double Cosine(float[] x, float[] y) =>
            x.Zip(y, (a, b) => (double)a * b).Sum() / Math.Sqrt(x.Sum(a => (double)a * a) * y.Sum(b => (double)b * b));

        var rows = battles.Select(b => (Battle: b, Factor: 1.0)).Concat(gold.Select(b => (Battle: b, Factor: (double)GoldWeight))).ToList();
        var similarities = rows.Select(r => Cosine(embed(r.Battle.Prompt), query)).ToArray();
        var max = similarities.Max();
        var tierBattles = rows.Select((r, i) => (
            model.ModelTiers[r.Battle.ModelA], model.ModelTiers[r.Battle.ModelB], r.Battle.Outcome,
            r.Battle.Weight * r.Factor * 10 * Math.Pow(10, similarities[i] / max))).ToList();
        return RowwiseLogisticReference.Ratings(model.TierCount, tierBattles);
    }
}
