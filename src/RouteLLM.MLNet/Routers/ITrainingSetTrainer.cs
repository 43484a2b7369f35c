namespace RouteLLM.MLNet.Routers;

/// <summary>
/// A router trainer that learns from a <see cref="TrainingSet"/> already read, which may hold per-prompt model scores
/// besides battles (<see cref="TrainingSet.Create"/>); every <see cref="RouterTrainerBase{TModel, TOptions}"/> is one.
/// </summary>
/// <typeparam name="TModel">The router the trainer produces.</typeparam>
public interface ITrainingSetTrainer<out TModel>
    where TModel : RouterModel
{
    /// <summary>Trains a router on battles and scores already read.</summary>
    /// <param name="trainingSet">The training data.</param>
    TModel Train(TrainingSet trainingSet);
}
