using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
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
    private SimilarityWeightedModel _router = null!;
    private float[][] _queries = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var common = Vector(random, null);
        var models = new[] { Strong, "text-davinci-003", Weak }.Concat(Enumerable.Range(3, Models - 3).Select(i => $"model-{i:000}")).ToArray();
        var skills = models.Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var battles = new List<Battle>(Battles);
        for (var i = 0; i < Battles; i++)
        {
            var hub = random.Next(2);
            var other = 2 + random.Next(Models - 2);
            var outcome = i < Ties ? BattleOutcome.Tie
                : random.NextDouble() < 1 / (1 + Math.Pow(10, skills[other] - skills[hub])) ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
            battles.Add(new Battle($"arena instruction number {random.Next(ArenaPrompts)}", models[hub], models[other], outcome));
        }

        var gold = Enumerable.Range(0, GoldPrompts).Select(i => new Battle($"gold benchmark question number {i}", Strong, Weak,
            random.NextDouble() switch { < 0.2 => BattleOutcome.ModelBWins, < 0.5 => BattleOutcome.ModelAWins, _ => BattleOutcome.Tie })).ToList();
        var embeddings = new Dictionary<string, float[]>();
        float[] Embed(string prompt) => embeddings.TryGetValue(prompt, out var v) ? v : embeddings[prompt] = Vector(random, common);

        var ml = new MLContext(seed: 0);
        var options = new SimilarityWeightedTrainer.Options { Embedder = new EmbedderInfo("synthetic-384", Dimension), GoldWeight = 1 };
        _router = ml.Routing().Trainers.SimilarityWeighted(options).Fit(View(ml, battles, Embed), View(ml, gold, Embed)).Model;
        _queries = [.. Enumerable.Range(0, 256).Select(_ => Vector(random, common))];
    }

    [Benchmark(Description = "SW: one routing decision (embedding excluded)")]
    public float RouteOnePrompt()
    {
        _router.CalculateStrongWinRates(_prompt, _queries[_next++ % _queries.Length], _rate);
        return _rate[0];
    }

    // Unit vectors sharing a common direction, so that cosine similarities are mostly positive, as with real text embedders.
    private static float[] Vector(Random random, float[]? common)
    {
        var v = new float[Dimension];
        for (var i = 0; i < Dimension; i++) v[i] = (float)(random.NextDouble() * 2 - 1) + (common is null ? 0 : 0.5f * common[i]);
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < Dimension; i++) v[i] /= norm;
        return v;
    }

    private static IDataView View(MLContext ml, IEnumerable<Battle> battles, Func<string, float[]> embed)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Embedding)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        return ml.Data.LoadFromEnumerable(battles.Select(b => new Row
        {
            Prompt = b.Prompt, ModelA = b.ModelA, ModelB = b.ModelB, Label = b.Label, Embedding = embed(b.Prompt),
        }).ToList(), schema);
    }

    private sealed class Row
    {
        public string Prompt { get; set; } = "";

        public string ModelA { get; set; } = "";

        public string ModelB { get; set; } = "";

        public float Label { get; set; }

        public float[] Embedding { get; set; } = [];
    }
}
