namespace RouteLLM.MLNet.Routers.Baseline;

public sealed partial class RandomRouterModel
{
    /// <summary>Every model the router was trained on, in manifest order.</summary>
    public override IReadOnlyList<string> QualityModels => Manifest.Models;

    /// <summary>
    /// Each model's quality is uniform on [0, 1), drawn independently per prompt and model from a hash of the seed, the
    /// model and the prompt: the multi-model counterpart of the pair draw, reproducible and blind to the prompt's meaning.
    /// </summary>
    /// <inheritdoc/>
    protected override ModelPredictions PredictQualitiesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings)
    {
        var models = Manifest.Models;
        var quality = new float[prompts.Count * models.Count];
        for (var p = 0; p < prompts.Count; p++)
        {
            for (var m = 0; m < models.Count; m++)
            {
                quality[p * models.Count + m] = Draw(Seed, $"{models[m]}\n{prompts[p]}");
            }
        }

        return new ModelPredictions(models, prompts.Count, quality);
    }
}
