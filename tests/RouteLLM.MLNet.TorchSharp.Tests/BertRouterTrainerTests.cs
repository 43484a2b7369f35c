using System.IO.Compression;
using Microsoft.ML;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Scoring;
using RouteLLM.MLNet.TorchSharp.Modeling;
using static TorchSharp.torch;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.TorchSharp.Tests;

public sealed class BertRouterTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_tiny_random_encoder_learns_that_the_marker_means_the_strong_model_wins()
    {
        var reports = new List<BertTrainingProgress>();
        var options = TinyBertRouter.Options();
        options.Progress = new SynchronousProgress(reports.Add);
        var model = TinyBertRouter.Train(options);

        var random = new Random(99);
        var marked = Enumerable.Range(0, 40).Select(_ => PlantedRule.Prompt(random, marked: true)).ToArray();
        var plain = Enumerable.Range(0, 40).Select(_ => PlantedRule.Prompt(random, marked: false)).ToArray();
        var scorer = new RouterScorer(model);
        var markedRates = await scorer.StrongWinRatesAsync(marked);
        var plainRates = await scorer.StrongWinRatesAsync(plain);
        output.WriteLine($"marked: mean {markedRates.Average():F3} min {markedRates.Min():F3}; plain: mean {plainRates.Average():F3} max {plainRates.Max():F3}");
        output.WriteLine(string.Join(", ", model.Manifest.TrainingMetrics.Select(m => $"{m.Key}={m.Value}")));

        Assert.True(markedRates.Min() > plainRates.Max(), "every prompt with the marker should score above every prompt without");
        Assert.True(markedRates.Average() - plainRates.Average() > 0.5);
        var metrics = model.Manifest.TrainingMetrics;
        Assert.Equal(160 * 3, metrics["battles"]);
        Assert.Equal(160, metrics["battlesNotBetweenTiers"]);
        Assert.Equal(160, metrics["trainingPrompts"] + metrics["validationPrompts"]);
        Assert.Equal(32, metrics["validationPrompts"]);
        Assert.Equal(metrics["steps"], reports.Count(r => r.ValidationLoss is null));
        Assert.Equal(metrics["epochs"], reports.Count(r => r.ValidationLoss is not null));
    }

    [Fact]
    public async Task A_line_break_separates_words_as_a_space_does_when_scoring()
    {
        var options = TinyBertRouter.Options();
        options.MaxEpochs = 1;
        var scorer = new RouterScorer(TinyBertRouter.Train(options, prompts: 20));

        var rates = await scorer.StrongWinRatesAsync(["zebra\napple\r\nriver", "zebra apple river", "zebraappleriver"]);

        // Hugging Face's BERT normaliser turns line breaks into spaces; deleting them would join the words.
        Assert.Equal(rates[1], rates[0]);
        Assert.NotEqual(rates[2], rates[0]);
    }

    [Fact]
    public void The_manifest_names_the_kind_the_assembly_and_both_tiers_and_no_embedder()
    {
        var options = TinyBertRouter.Options();
        options.MaxEpochs = 1;
        options.StrongTierModels = [PlantedRule.Strong, "gpt-4-0613"];
        var manifest = TinyBertRouter.Train(options, prompts: 20).Manifest;

        Assert.Equal("bert", manifest.Kind);
        Assert.Equal("RouteLLM.MLNet.TorchSharp", manifest.Assembly);
        Assert.Null(manifest.Embedder);
        Assert.Equal(["gpt-4-0613", PlantedRule.Strong, PlantedRule.Weak], manifest.Models);
    }

    [Fact]
    public async Task The_same_seed_trains_the_same_router()
    {
        var prompts = new[] { "zebra apple river", "green table", "a prompt the data never had" };
        var first = await new RouterScorer(Train(seed: 3)).StrongWinRatesAsync(prompts);
        var second = await new RouterScorer(Train(seed: 3)).StrongWinRatesAsync(prompts);
        var other = await new RouterScorer(Train(seed: 4)).StrongWinRatesAsync(prompts);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);

        static BertRouterModel Train(int seed)
        {
            var options = TinyBertRouter.Options(seed);
            options.MaxEpochs = 2;
            return TinyBertRouter.Train(options, prompts: 40);
        }
    }

    [Fact]
    public void An_exhausted_time_budget_stops_after_one_step_and_keeps_the_validated_weights()
    {
        var options = TinyBertRouter.Options();
        options.TimeBudget = TimeSpan.FromTicks(1);
        var metrics = TinyBertRouter.Train(options, prompts: 40).Manifest.TrainingMetrics;

        Assert.Equal(1, metrics["stoppedByTimeBudget"]);
        Assert.Equal(1, metrics["steps"]);
        Assert.Equal(1, metrics["bestEpoch"]);
        Assert.True(double.IsFinite(metrics["validationLoss"]));
    }

    [Fact]
    public void Frozen_layers_and_the_embeddings_keep_their_initial_weights_and_the_layers_above_them_learn()
    {
        var options = TinyBertRouter.Options(seed: 6);
        options.FrozenLayers = 1;
        options.MaxEpochs = 2;
        var router = TinyBertRouter.Train(options, prompts: 40);

        using var initialization = new Generator(6);
        using var initial = new BertClassifier(options.RandomEncoder!, dropoutRate: 0, initialization);
        using var trained = new BertClassifier(options.RandomEncoder!, dropoutRate: 0);
        ParameterDeltas.Load(trained, WeightsEntry(router), baseWeights: null, BertRouterModel.WeightsEntry);
        // A random encoder's entry holds float16 values (differences from zero).
        var before = initial.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray().Select(v => (float)(Half)v).ToArray());
        var after = trained.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());

        var frozen = before.Keys.Where(n => n.Contains("embedding", StringComparison.Ordinal) || n.StartsWith("layers.0.", StringComparison.Ordinal)).ToList();
        Assert.Equal(5 + 16, frozen.Count);
        Assert.All(frozen, n => Assert.Equal(before[n], after[n]));
        Assert.All(before.Keys.Except(frozen).Where(n => n.EndsWith(".weight", StringComparison.Ordinal)), n => Assert.NotEqual(before[n], after[n]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Frozen_layers_beyond_the_encoder_are_refused_up_front(int frozenLayers)
    {
        var options = TinyBertRouter.Options();
        options.FrozenLayers = frozenLayers;

        var error = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new MLContext().Routing().Trainers.Bert(options));
        Assert.Contains(nameof(options.FrozenLayers), error.Message);
    }

    [Theory]
    [InlineData(new[] { PlantedRule.Strong }, new[] { PlantedRule.Weak, PlantedRule.Strong }, "both tiers")]
    [InlineData(new[] { "gpt-4-0613" }, new[] { PlantedRule.Weak }, "StrongTierModels must contain")]
    public void Tiers_that_overlap_or_miss_the_default_pair_are_refused_up_front(string[] strong, string[] weak, string message)
    {
        var options = TinyBertRouter.Options();
        options.StrongTierModels = strong;
        options.WeakTierModels = weak;

        var error = Assert.ThrowsAny<ArgumentException>(() => new MLContext().Routing().Trainers.Bert(options));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Data_without_battles_between_the_tiers_is_refused_with_the_tiers_named()
    {
        var options = TinyBertRouter.Options();
        options.WeakTierModels = [PlantedRule.Weak, "vicuna-13b"];
        options.WeakModel = "vicuna-13b";
        options.StrongTierModels = ["gpt-4-0613"];
        options.StrongModel = "gpt-4-0613";

        var error = Assert.Throws<ArgumentException>(() => TinyBertRouter.Train(options, prompts: 10));
        Assert.Contains("gpt-4-0613", error.Message);
    }

    private static byte[] WeightsEntry(RouterModel router)
    {
        using var zip = new MemoryStream();
        RouterZip.Write(router, zip);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        using var entry = archive.GetEntry(BertRouterModel.WeightsEntry)!.Open();
        using var bytes = new MemoryStream();
        entry.CopyTo(bytes);
        return bytes.ToArray();
    }

    private sealed class SynchronousProgress(Action<BertTrainingProgress> report) : IProgress<BertTrainingProgress>
    {
        public void Report(BertTrainingProgress value) => report(value);
    }
}
