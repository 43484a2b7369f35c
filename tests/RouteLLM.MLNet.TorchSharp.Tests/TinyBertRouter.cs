using Microsoft.ML;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.TorchSharp.Tests;

/// <summary>A BERT router small enough to train on <see cref="PlantedRule"/> battles in seconds.</summary>
internal static class TinyBertRouter
{
    /// <summary>Options for a tiny encoder trained from random weights in seconds.</summary>
    public static BertRouterTrainer.Options Options(int seed = 1) => new()
    {
        RandomEncoder = new BertEncoderShape(Layers: 2, HiddenSize: 32, AttentionHeads: 2, IntermediateSize: 64),
        MaxTokens = 24,
        BatchSize = 16,
        LearningRate = 1e-2,
        Dropout = 0,
        MaxEpochs = 8,
        EarlyStoppingPatience = 3,
        ValidationFraction = 0.2,
        Seed = seed,
    };

    /// <summary>A tiny BERT router trained on <see cref="PlantedRule"/> battles.</summary>
    public static BertRouterModel Train(BertRouterTrainer.Options options, int prompts = 160, int seed = 5)
    {
        var ml = new MLContext(seed: 1);
        return ml.Routing().Trainers.Bert(options).Fit(ml.Routing().LoadBattles(PlantedRule.Battles(prompts, seed))).Model;
    }
}
