namespace RouteLLM.MLNet.Routers.ModelSelection;

public sealed partial class GoldAugmentationSelector
{
    /// <summary>Options of the cross-validated search.</summary>
    public sealed class Options
    {
        /// <summary>Number of folds the distinct gold prompts are split into (each is held out once).</summary>
        public int Folds { get; set; } = 5;

        /// <summary>Seed of the fold assignment.</summary>
        public int Seed { get; set; }

        /// <summary>The candidates tried, in order; see <see cref="AugmentationCandidate.Defaults"/>.</summary>
        public IReadOnlyList<AugmentationCandidate> Candidates { get; set; } = AugmentationCandidate.Defaults;

        /// <summary>Routers trained at once (each training is single-threaded and deterministic, so results do not depend on it).</summary>
        public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;
    }
}
