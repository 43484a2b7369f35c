using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class BenchmarkEvaluatorTests
{
    private static readonly string[] TrainingPrompts =
    [
        "What is the capital of France and why did it become the capital",
        "the quick brown fox jumps over the lazy dog near the river bank on a sunny afternoon in late june",
        "Write a haiku about autumn leaves",
    ];

    [Fact]
    public async Task Drops_listed_and_near_training_prompts_and_embeds_once_for_scoring()
    {
        var embedder = new HashingEmbeddingGenerator(dimension: 256);
        var nearCopy = TrainingPrompts[1] + " again";
        Assert.InRange(Cosine(embedder.Embed(nearCopy), embedder.Embed(TrainingPrompts[1])), 0.95, 0.9999);
        var unrelated = "Explain how vaccines train the immune system";
        Assert.InRange(Cosine(embedder.Embed(unrelated), embedder.Embed(TrainingPrompts[0])), -1, 0.5);

        var prompts = new List<BenchmarkPrompt>
        {
            new("what is the capital of france and why did it become the capital", 1, 0), // the first, up to case: cosine 1
            new(nearCopy, 1, 0),
            new("Listed because RouteLLM saw it in training", 1, 0),
            new(unrelated, 1, 0),
        };
        prompts.AddRange(Benchmarks.Binary(40, seed: 2));
        var router = ProbeRouter.Create(EmbedderInfo.From(embedder), Embed(embedder, TrainingPrompts));

        var result = await new BenchmarkEvaluator(router, embedder)
            .EvaluateAsync(Benchmarks.Create(prompts, "Listed because RouteLLM saw it in training", "not in the benchmark"));

        Assert.Equal(new DroppedPrompts(ContaminatedList: 1, NearTraining: 2), result.Dropped);
        Assert.Equal(41, result.Prompts);
        Assert.Equal(1, embedder.Calls);
        Assert.Equal(41, router.Seen.Count);
        Assert.Contains(router.Seen, s => s.Prompt == unrelated);
        Assert.All(router.Seen, s => Assert.Equal(embedder.Embed(s.Prompt), s.Embedding));
    }

    [Fact]
    public async Task Random_router_end_to_end()
    {
        var ml = new MLContext(seed: 1);
        var battles = new Battle[] { new("Hi", Benchmarks.Strong, Benchmarks.Weak, BattleOutcome.ModelAWins) };
        var router = ml.Routing().Trainers.Random(new RandomRouterTrainer.Options { Seed = 42 }).Fit(ml.Routing().LoadBattles(battles)).Model;
        var prompts = Benchmarks.Binary(2000, seed: 9);
        var progress = new List<EvaluationProgress>();

        var result = await new BenchmarkEvaluator(router, options: new EvaluationOptions { RouterFile = "random.zip", BootstrapResamples = 200 })
            .EvaluateAsync(Benchmarks.Create(prompts, prompts[0].Prompt), new Progress(progress));

        Assert.Equal("random", result.Router);
        Assert.Equal("random.zip", result.RouterFile);
        Assert.Equal(1999, result.Prompts);
        Assert.Equal(new DroppedPrompts(1, 0), result.Dropped);
        Assert.Equal(prompts.Skip(1).Average(p => p.StrongQuality), result.StrongQuality, 12);
        Assert.Equal(prompts.Skip(1).Average(p => p.WeakQuality), result.WeakQuality, 12);
        Assert.Equal(11, result.Points.Count);
        Assert.Equal(0, result.Points[0].StrongShare);
        Assert.Equal(1, result.Points[^1].StrongShare);
        Assert.InRange(result.Apgr, 0.4, 0.6);
        Assert.InRange(result.RandomApgr, 0.45, 0.55);
        // The oracle gains on the 0.8·0.4 = 32% of prompts only the strong model gets right: PGR(s) = min(s, 0.32)/0.2,
        // at s = 0, 0.1, ...: 0, 0.5, 1, 1.5, then 1.6; trapezoids 0.1·(3 + 7·1.6 − 0.8) = 1.34 at exactly these rates.
        Assert.InRange(result.OracleApgr, 1.3, 1.48);
        Assert.InRange(result.Apgr, result.ApgrCi95.Lower, result.ApgrCi95.Upper);
        Assert.InRange(result.Cpt.Cpt50!.Value, result.Cpt50Ci95.Lower, result.Cpt50Ci95.Upper);
        Assert.True(result.Cpt.Cpt20 < result.Cpt.Cpt50 && result.Cpt.Cpt50 < result.Cpt.Cpt80);
        Assert.Equal(new EvaluationProgress(EvaluationStage.Scoring, 1999, 1999), progress[^1]);
        Assert.DoesNotContain(progress, p => p.Stage == EvaluationStage.Embedding);
    }

    [Fact]
    public async Task Informative_router_beats_random_and_stays_below_the_oracle()
    {
        var prompts = Benchmarks.Binary(1000, seed: 4);
        var router = Benchmarks.Router(prompts.Zip(Benchmarks.InformativeScores(prompts, seed: 5)).ToDictionary(x => x.First.Prompt, x => x.Second));

        var result = await new BenchmarkEvaluator(router, options: new EvaluationOptions { BootstrapResamples = 100 }).EvaluateAsync(Benchmarks.Create(prompts));

        Assert.True(result.Apgr > result.ApgrCi95.Lower && result.ApgrCi95.Lower > result.RandomApgr, $"APGR {result.Apgr} {result.ApgrCi95}, random {result.RandomApgr}");
        Assert.True(result.Apgr < result.OracleApgr);
    }

    [Fact]
    public async Task Equal_model_quality_is_a_clear_error_naming_the_benchmark()
    {
        var prompts = new BenchmarkPrompt[] { new("a", 1, 0), new("b", 0, 1), new("c", 1, 0) };
        var router = Benchmarks.Router(new() { ["a"] = 0.1f, ["b"] = 0.2f, ["c"] = 0.3f });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new BenchmarkEvaluator(router).EvaluateAsync(Benchmarks.Create(prompts, "c")));
        Assert.Contains("'test'", error.Message);
        Assert.Contains("PGR is undefined", error.Message);
    }

    [Fact]
    public void The_router_embedder_is_required_and_checked()
    {
        var embedder = new HashingEmbeddingGenerator(dimension: 16);
        var router = ProbeRouter.Create(EmbedderInfo.From(embedder), trainingPrompts: null);

        Assert.Throws<ArgumentException>(() => new BenchmarkEvaluator(router));
        Assert.Throws<ArgumentException>(() => new BenchmarkEvaluator(router, new HashingEmbeddingGenerator(dimension: 32)));
        Assert.Throws<ArgumentException>(() => new BenchmarkEvaluator(ProbeRouter.Create(
            EmbedderInfo.From(embedder), Embed(new HashingEmbeddingGenerator(dimension: 16, id: "other"), TrainingPrompts)), embedder));
    }

    private static PromptEmbeddings Embed(HashingEmbeddingGenerator embedder, string[] prompts) =>
        new(EmbedderInfo.From(embedder), [.. prompts.SelectMany(embedder.Embed)]);

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b).Sum(x => (double)x.First * x.Second) / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    private sealed class Progress(List<EvaluationProgress> reports) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => reports.Add(value);
    }
}
