using System.Globalization;
using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.Baseline;

namespace RouteLLM.MLNet.Tests.Routers;

public sealed class RouterTrainerBaseTests
{
    [Fact]
    public void The_manifest_lists_collection_options_item_by_item_in_the_invariant_culture_and_leaves_callbacks_out()
    {
        var ml = new MLContext(seed: 1);
        var options = new ListingOptions
        {
            Tier = ["gpt-4-1106-preview", "gpt-4-0613"],
            Weights = [0.5, 2],
            Progress = new Progress<int>(),
            OnEpoch = _ => { },
            Seed = 3,
        };
        var battles = new Battle[] { new("What is 2+2?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins) };

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        RouterManifest manifest;
        try
        {
            manifest = new ListingTrainer(ml, options).Fit(ml.Routing().LoadBattles(battles)).Model.Manifest;
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal("gpt-4-1106-preview, gpt-4-0613", manifest.TrainingOptions["Tier"]);
        Assert.Equal("0.5, 2", manifest.TrainingOptions["Weights"]);
        Assert.Equal("", manifest.TrainingOptions["Unset"]);
        Assert.Equal("3", manifest.TrainingOptions["Seed"]);
        Assert.DoesNotContain("Progress", manifest.TrainingOptions.Keys);
        Assert.DoesNotContain("OnEpoch", manifest.TrainingOptions.Keys);
    }

    private sealed class ListingOptions : RouterTrainerOptions
    {
        public IReadOnlyCollection<string>? Tier { get; set; }

        public double[]? Weights { get; set; }

        public IReadOnlyList<string>? Unset { get; set; }

        public IProgress<int>? Progress { get; set; }

        public Action<int>? OnEpoch { get; set; }
    }

    private sealed class ListingTrainer(MLContext context, ListingOptions options) : RouterTrainerBase<RandomRouterModel, ListingOptions>(context, options)
    {
        protected override string Kind => "random";

        protected override bool ReadsEmbeddings => false;

        protected override RandomRouterModel TrainCore(TrainingSet trainingSet) =>
            new(CreateManifest(trainingSet, new Dictionary<string, double>()), TrainerOptions.Seed);
    }
}
