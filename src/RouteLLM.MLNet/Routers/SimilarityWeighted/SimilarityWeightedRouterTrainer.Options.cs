namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

public sealed partial class SimilarityWeightedRouterTrainer
{
    /// <summary>Options of the similarity-weighted (SW) ranking router; the defaults are RouteLLM's.</summary>
    public sealed class Options : RouterTrainerOptions
    {
        /// <summary>
        /// Number of tiers the models are grouped into before the per-prompt fit (RouteLLM: 10); between 1 and the
        /// number of models in the battles.
        /// </summary>
        public int Tiers { get; set; } = 10;

        /// <summary>
        /// Base b of the similarity weighting: a battle whose prompt has cosine similarity s to the query weighs
        /// <c>10 · b^(s / max s)</c> (RouteLLM: 10). Must be ≥ 1; 1 weighs every battle alike (a global Elo).
        /// </summary>
        public double SimilarityBase { get; set; } = 10;

        /// <summary>
        /// Battles whose prompt, trimmed, is shorter than this many characters (Unicode code points) are dropped,
        /// and counted in the training metrics (RouteLLM: 16).
        /// </summary>
        public int MinPromptLength { get; set; } = 16;

        /// <summary>
        /// For a router trained with per-prompt scores: how many of the most similar training prompts a model's
        /// predicted quality averages its scores over (weighted by <see cref="SimilarityBase"/>); at least 1.
        /// </summary>
        public int Neighbours { get; set; } = 20;

        /// <summary>
        /// For a router trained with per-prompt scores: how many pseudo-prompts of weight 1 pull each model's
        /// neighbour mean toward its mean over all training prompts (0: none; large: the per-model constants of the
        /// zero router). Null (the default): chosen by leave-one-out over the training prompts. Finite and ≥ 0.
        /// </summary>
        public double? Shrinkage { get; set; }

        /// <summary>
        /// A trained SW router to extend, or null. Its training prompts, tier-versus-tier win table, similarity base and
        /// the tiers of the models it knows are kept exactly, so every pair it knew scores as before; each model of the
        /// training data it does not know joins the tier whose rating is nearest its own in a Bradley-Terry fit of the
        /// training data over the extended router's tiers and the new models. Only a router trained on battles alone
        /// (no per-prompt scores kept) can be extended, and its embedder must match; its <see cref="Tiers"/> and
        /// <see cref="SimilarityBase"/> replace this trainer's.
        /// </summary>
        public SimilarityWeightedRouterModel? Extend { get; set; }
    }
}
