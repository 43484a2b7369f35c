namespace RouteLLM.MLNet.Routers.ModelSelection;

public sealed partial class GoldAugmentationSelector
{
    /// <summary>Options of the cross-validated search.</summary>
    public sealed class Options
    {
        /// <summary>Number of folds the distinct held-out prompts (gold, and battles of the routed pair) are split into; each is held out once.</summary>
        public int Folds { get; set; } = 5;

        /// <summary>Seed of the fold assignment.</summary>
        public int Seed { get; set; }

        /// <summary>Tiers the models are grouped into for <see cref="BattleSubset.StrongWeakTiers"/> (the SW router's default: 10).</summary>
        public int Tiers { get; set; } = 10;

        /// <summary>Routers trained at once (each training is single-threaded and deterministic, so results do not depend on it).</summary>
        public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;
    }
}
