using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.ModelSelection;
using RouteLLM.MLNet.Routers.SimilarityWeighted;

namespace RouteLLM.Benchmarks;

/// <summary>
/// One routing decision of the SW ranking router, embedding excluded, trained on data shaped like ../shared/data:
/// 101,356 judge battles (382 ties) of 100 models against two hubs over 805 prompts, plus 1,501 gold battles
/// (strong vs weak) on their own prompts, 384-dimensional embeddings, 10 tiers. Each call scores an unseen query:
/// cosine similarity to all 2,306 training prompts, weighted tier-win sums, Newton fit over the tiers.
/// </summary>
[MemoryDiagnoser]
public class SimilarityWeightedRoutingBenchmarks
{
    private const int ArenaPrompts = 805, GoldPrompts = 1_501, Models = 100, Battles = 101_356, Ties = 382, Dimension = 384;
    private const string Strong = "gpt-4-1106-preview", Weak = "mixtral-8x7b-instruct-v0.1";

    private readonly float[] _rate = new float[1];
    private readonly string[] _prompt = ["an unseen query"];
    private SimilarityWeightedRouterModel _router = null!;
    private float[][] _queries = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var common = SyntheticJudgeData.UnitVector(random, Dimension);
        var models = new[] { Strong, "text-davinci-003", Weak }.Concat(Enumerable.Range(3, Models - 3).Select(i => $"model-{i:000}")).ToArray();
        var battles = SyntheticJudgeData.HubBattles(random, models, Battles, Ties, ArenaPrompts, i => $"arena instruction number {i}", gap => 1 / (1 + Math.Pow(10, gap)));
        var gold = Enumerable.Range(0, GoldPrompts).Select(i => new Battle($"gold benchmark question number {i}", Strong, Weak,
            random.NextDouble() switch { < 0.2 => BattleOutcome.ModelBWins, < 0.5 => BattleOutcome.ModelAWins, _ => BattleOutcome.Tie })).ToList();
        var embeddings = new Dictionary<string, float[]>();
        foreach (var battle in battles.Concat(gold))
        {
            if (!embeddings.ContainsKey(battle.Prompt))
            {
                embeddings[battle.Prompt] = SyntheticJudgeData.UnitVector(random, Dimension, common);
            }
        }

        var ml = new MLContext(seed: 0);
        var table = new PromptEmbeddingTable(new EmbedderInfo("synthetic-384", Dimension), embeddings);
        var options = new SimilarityWeightedRouterTrainer.Options { Embedder = table.Embedder };
        _router = ml.Routing().Trainers.SimilarityWeighted(options).Fit(table.LoadBattles(ml, GoldBattles.Augment(battles, gold, goldWeight: 1))).Model;
        _queries = [.. Enumerable.Range(0, 256).Select(_ => SyntheticJudgeData.UnitVector(random, Dimension, common))];
    }

    [Benchmark(Description = "SW: one routing decision (embedding excluded)")]
    public float RouteOnePrompt()
    {
        _router.CalculateStrongWinRates(_prompt, _queries[_next++ % _queries.Length], _rate);
        return _rate[0];
    }
}
