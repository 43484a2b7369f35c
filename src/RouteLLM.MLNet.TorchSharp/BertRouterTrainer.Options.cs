using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.TorchSharp;

public sealed partial class BertRouterTrainer
{
    /// <summary>
    /// Options of the BERT router. The defaults fine-tune all-MiniLM-L6-v2 on battles between
    /// <see cref="RouterTrainerOptions.StrongModel"/> and <see cref="RouterTrainerOptions.WeakModel"/>; set the tiers
    /// to learn from every battle between a strong-tier and a weak-tier model, as RouteLLM does. The router reads text;
    /// set <see cref="RouterTrainerOptions.Embedder"/> (with the embedding column) for it to keep its training prompts'
    /// embeddings, which evaluation needs to drop benchmark prompts the router was trained on (e.g. gold labels).
    /// </summary>
    public sealed class Options : RouterTrainerOptions
    {
        /// <summary>
        /// Models whose wins count as "strong wins" (e.g. the top tier of <c>Ranking.Tiers</c>); null means only
        /// <see cref="RouterTrainerOptions.StrongModel"/>. Must contain <see cref="RouterTrainerOptions.StrongModel"/>.
        /// </summary>
        public IReadOnlyCollection<string>? StrongTierModels { get; set; }

        /// <summary>
        /// Models whose wins count as "weak wins"; null means only <see cref="RouterTrainerOptions.WeakModel"/>.
        /// Must contain <see cref="RouterTrainerOptions.WeakModel"/> and share no model with the strong tier.
        /// </summary>
        public IReadOnlyCollection<string>? WeakTierModels { get; set; }

        /// <summary>
        /// Null (the default) fine-tunes all-MiniLM-L6-v2; a shape trains an encoder of that size from random weights
        /// (for tests and experiments).
        /// </summary>
        public BertEncoderShape? RandomEncoder { get; set; }

        /// <summary>
        /// How many of the encoder's lowest transformer layers keep their initial weights, the embeddings with them
        /// when above 0; 0 (the default) trains every parameter, the encoder's layer count trains the head alone.
        /// Frozen layers are not stored in the zip (their differences from MiniLM are zeros) and need no backward pass.
        /// </summary>
        public int FrozenLayers { get; set; }

        /// <summary>Longest token sequence, special tokens included (at most 512); longer prompts are truncated.</summary>
        public int MaxTokens { get; set; } = 256;

        /// <summary>Prompts per optimiser step.</summary>
        public int BatchSize { get; set; } = 16;

        /// <summary>Peak learning rate of AdamW, reached after a linear warm-up over the first 10% of the steps, then decayed linearly.</summary>
        public double LearningRate { get; set; } = 5e-5;

        /// <summary>AdamW's decoupled weight decay, applied to the linear layers' weights only.</summary>
        public double WeightDecay { get; set; } = 0.01;

        /// <summary>Dropout probability of the encoder and the head while training.</summary>
        public double Dropout { get; set; } = 0.1;

        /// <summary>The most passes over the training prompts.</summary>
        public int MaxEpochs { get; set; } = 6;

        /// <summary>Training stops after this many epochs in a row without a lower validation loss; the best epoch's weights are kept.</summary>
        public int EarlyStoppingPatience { get; set; } = 2;

        /// <summary>Share of the prompts (not battles) held out for validation and early stopping.</summary>
        public double ValidationFraction { get; set; } = 0.1;

        /// <summary>
        /// Whether to weight strong wins and weak wins so that both weigh the same in the loss (strong models win most
        /// battles); ties keep weight 1.
        /// </summary>
        public bool BalanceClasses { get; set; } = true;

        /// <summary>Training stops after the step that exhausts this time, then keeps the best weights validated; null for no limit.</summary>
        public TimeSpan? TimeBudget { get; set; }

        /// <summary>Receives a report after every step and every validation (e.g. for a progress bar); null for none.</summary>
        public IProgress<BertTrainingProgress>? Progress { get; set; }
    }
}
