namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>What one training run did: the parameters of its best epoch and how it got there.</summary>
internal sealed record MatrixFactorizationRun(
    MatrixFactorizationParameters Parameters, int BestEpoch, int EpochsRun, double TrainLoss, double ValidationLoss);

/// <summary>
/// RouteLLM's training loop (train_matrix_factorization.py): a fresh shuffle each epoch, batches of
/// <c>BatchSize</c> with the last one smaller, noise on every prompt embedding, one Adam step per batch. The epoch is
/// chosen by the weighted validation loss on held-out prompts, with early stopping. Frozen parameters (an extended
/// router's) are written back after every step.
/// </summary>
internal static class MatrixFactorizationTraining
{
    private const ulong InitStream = 1;
    private const ulong ShuffleStream = 2;
    private const ulong NoiseStream = 3;

    public static MatrixFactorizationRun Run(
        MatrixFactorizationRouterTrainer.Options options, int models, int embeddingDimension, ReadOnlySpan<float> embeddings,
        MatrixFactorizationExample[] training, MatrixFactorizationExample[] validation, FrozenParameters? frozen = null)
    {
        var parameters = MatrixFactorizationParameters.Initialize(
            models, embeddingDimension, options.Dimension, new SeededRandom(StreamSeed(options.Seed, InitStream)));
        frozen?.Apply(parameters.Values);
        var random = new SeededRandom(StreamSeed(options.Seed, ShuffleStream));
        using var noise = new NoiseSource(
            new SeededRandom(StreamSeed(options.Seed, NoiseStream)), options.NoiseStandardDeviation, options.BatchSize * embeddingDimension);
        var objective = new MatrixFactorizationObjective(models, embeddingDimension, options.Dimension, options.BatchSize);
        var optimizer = new AdamOptimizer(parameters.Values.Length, options.LearningRate, options.WeightDecay);
        var gradient = new float[parameters.Values.Length];
        var order = (MatrixFactorizationExample[])training.Clone();

        MatrixFactorizationParameters? best = null;
        double bestValidation = double.PositiveInfinity, bestTrain = double.NaN;
        int bestEpoch = 0, epoch = 0;
        while (epoch < options.MaxEpochs)
        {
            epoch++;
            random.Shuffle(order.AsSpan());
            double lossSum = 0, weightSum = 0;
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start));
                var loss = objective.LossAndGradient(parameters, embeddings, batch, noise.Next(batch.Length * embeddingDimension), gradient);
                optimizer.Step(parameters.Values, gradient);
                frozen?.Apply(parameters.Values);
                var batchWeight = 0.0;
                foreach (var example in batch)
                {
                    batchWeight += example.Weight;
                }

                lossSum += loss * batchWeight;
                weightSum += batchWeight;
            }

            var trainLoss = lossSum / weightSum;
            if (validation.Length == 0)
            {
                (bestEpoch, bestTrain) = (epoch, trainLoss);
                continue;
            }

            var validationLoss = objective.Loss(parameters, embeddings, validation);
            if (validationLoss < bestValidation)
            {
                (bestValidation, bestTrain, bestEpoch) = (validationLoss, trainLoss, epoch);
                best = parameters.Clone();
            }
            else if (epoch - bestEpoch >= options.EarlyStoppingPatience)
            {
                break;
            }
        }

        return new MatrixFactorizationRun(best ?? parameters, bestEpoch, epoch, bestTrain, validation.Length == 0 ? double.NaN : bestValidation);
    }

    /// <summary>Independent, reproducible random streams per purpose, so that e.g. the split does not shift the noise.</summary>
    internal static ulong StreamSeed(int seed, ulong stream) => ((ulong)(uint)seed << 8) | stream;
}
