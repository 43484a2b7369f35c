using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Evaluation;

/// <summary>A multi-model router that reads no embeddings and predicts each model's quality from a table set by the test.</summary>
internal sealed class ScriptedQualityRouter(string[] models, Dictionary<string, float[]> qualities) : RouterModel(
    new RouterManifest
    {
        Kind = "scripted-quality",
        Assembly = typeof(ScriptedQualityRouter).Assembly.GetName().Name!,
        StrongModel = models[0],
        WeakModel = models[^1],
        Models = models,
    },
    trainingPrompts: null)
{
    public override IReadOnlyList<string> QualityModels => models;

    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings) =>
        new(models, prompts.Count, [.. prompts.SelectMany(p => qualities[p])]);

    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination) =>
        throw new NotSupportedException("This router only predicts qualities.");

    protected override RouterModel WithModelsCore(RouterManifest manifest) => this;

    protected internal override void SaveContents(RouterZipWriter writer) => throw new NotSupportedException();
}
