namespace RouteLLM.MLNet.Routers.Difficulty;

public sealed partial class DifficultyRouterTrainer
{
    /// <summary>Options of the difficulty router.</summary>
    public sealed class Options : RouterTrainerOptions
    {
        /// <summary>
        /// s: how far a prompt's predicted ease moves each model's expected score from the model's mean (0: the per-model
        /// constants alone; 1: the regression's prediction as fitted). Finite and ≥ 0. Choose it by routing quality on
        /// held-out prompts (<see cref="DifficultyRouterModel.WithWeights"/> varies it without retraining).
        /// </summary>
        public double DeviationWeight { get; set; } = 1;

        /// <summary>
        /// t: how far the outcomes of a prompt's near-duplicate training twin move each model's expected score (0: twins
        /// ignored; 1: the twin regression as fitted). Finite and ≥ 0; chosen like <see cref="DeviationWeight"/>.
        /// </summary>
        public double TwinWeight { get; set; } = 1;

        /// <summary>
        /// The least cosine similarity of two prompts' embeddings at which they count as twins; in (0, 0.9999): from
        /// 0.9999 on they are one prompt, never its own twin.
        /// </summary>
        public double TwinSimilarity { get; set; } = 0.9;

        /// <summary>Ridge penalties tried for the ease regression, each finite and &gt; 0; the one of least k-fold squared error is kept.</summary>
        public IReadOnlyList<double> RidgePenalties { get; set; } = [1, 3, 10, 30, 100, 300, 1_000];

        /// <summary>Folds (by prompt) of the ridge penalty's choice; at least 2.</summary>
        public int RidgeFolds { get; set; } = 5;
    }
}
