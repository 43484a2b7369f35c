namespace RouteLLM.MLNet.Routers.MatrixFactorization;

public sealed partial class MatrixFactorizationRouterTrainer
{
    /// <summary>
    /// The parameters <see cref="Options.Extend"/> holds fixed, laid out for <paramref name="trainingSet"/>'s models:
    /// the projection, the classifier and the vectors of the extended router's models; null when nothing is extended.
    /// </summary>
    private FrozenParameters? FrozenFromExtended(TrainingSet trainingSet)
    {
        if (TrainerOptions.Extend is not { } extended)
        {
            return null;
        }

        if (extended.Manifest.Embedder?.Id != TrainerOptions.Embedder?.Id || extended.Dimension != TrainerOptions.Dimension)
        {
            throw new ArgumentException(
                $"{nameof(Options.Extend)}: the router reads '{extended.Manifest.Embedder?.Id}' with dimension {extended.Dimension}; " +
                $"this training reads '{TrainerOptions.Embedder?.Id}' with dimension {TrainerOptions.Dimension}.");
        }

        var k = extended.Dimension;
        var frozen = new FrozenParameters();
        var vectors = extended.ModelVectors;
        for (var m = 0; m < extended.Manifest.Models.Count; m++)
        {
            var model = extended.Manifest.Models[m];
            var row = trainingSet.IndexOfModel(model);
            if (row < 0)
            {
                throw new ArgumentException(
                    $"{nameof(Options.Extend)}: model '{model}' of the extended router does not occur in the training data, so the extension could not keep it.");
            }

            frozen.Add(row * k, vectors.Slice(m * k, k));
        }

        // MatrixFactorizationParameters' layout: P, then W, then w2.
        frozen.Add(trainingSet.Models.Count * k, extended.Projection);
        frozen.Add((trainingSet.Models.Count + trainingSet.Dimension) * k, extended.Classifier);
        return frozen;
    }

    /// <summary>The training prompts of <paramref name="trainingSet"/>, after those of the extended router, if any.</summary>
    private PromptEmbeddings? TrainingPromptsWithExtended(TrainingSet trainingSet)
    {
        var own = TrainingPromptsOf(trainingSet);
        if (TrainerOptions.Extend?.TrainingPrompts is not { } extended || own is null)
        {
            return own;
        }

        return new PromptEmbeddings(own.Embedder, [.. extended.Values, .. own.Values]);
    }
}
