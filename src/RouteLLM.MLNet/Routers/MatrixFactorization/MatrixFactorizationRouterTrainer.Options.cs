namespace RouteLLM.MLNet.Routers.MatrixFactorization;

public sealed partial class MatrixFactorizationRouterTrainer
{
    /// <summary>
    /// Options of the matrix-factorization router. The defaults are RouteLLM's (train_matrix_factorization.py), except
    /// that the number of epochs is chosen on prompts held out for validation instead of being fixed at 100.
    /// </summary>
    public sealed class Options : RouterTrainerOptions
    {
        /// <summary>Length of the model vectors and of the projected prompt (RouteLLM: 128).</summary>
        public int Dimension { get; set; } = 128;

        /// <summary>Adam's learning rate (RouteLLM: 3e-4).</summary>
        public float LearningRate { get; set; } = 3e-4f;

        /// <summary>L2 weight decay, added to the gradient as <c>torch.optim.Adam</c> does (RouteLLM: 1e-5).</summary>
        public float WeightDecay { get; set; } = 1e-5f;

        /// <summary>Standard deviation of the Gaussian noise added to each prompt embedding while training (RouteLLM: 0.1).</summary>
        public float NoiseStandardDeviation { get; set; } = 0.1f;

        /// <summary>Battles per gradient step (RouteLLM: 64).</summary>
        public int BatchSize { get; set; } = 64;

        /// <summary>Most passes over the training battles (RouteLLM trains exactly 100).</summary>
        public int MaxEpochs { get; set; } = 100;

        /// <summary>
        /// Share of the distinct prompts whose battles are held out to choose the epoch (by validation loss); battles
        /// of one prompt never straddle the split. 0 trains <see cref="MaxEpochs"/> epochs on everything.
        /// </summary>
        public double ValidationFraction { get; set; } = 0.1;

        /// <summary>Training stops after this many epochs without a lower validation loss; the best epoch's parameters are kept.</summary>
        public int EarlyStoppingPatience { get; set; } = 10;

        /// <summary>
        /// A trained MF router to extend, or null. Its prompt tower (projection and classifier) and the vectors of the
        /// models it knows are kept exactly; training learns only the vectors of the other models (and the score biases),
        /// so every pair of the extended router scores as before. Its models must occur in the training data, its
        /// embedder and <see cref="Dimension"/> must match, and its training prompts stay the router's training prompts.
        /// </summary>
        public MatrixFactorizationRouterModel? Extend { get; set; }
    }
}
