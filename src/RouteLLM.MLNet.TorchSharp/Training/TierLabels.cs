using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.TorchSharp.Training;

/// <summary>
/// The classifier's targets, per prompt: the summed weights of the battles in which a strong-tier model beat a
/// weak-tier one (class 0), tied (1) or lost (2). Training on these sums is training on every battle, one forward
/// pass per prompt instead of one per battle. Battles not between the two tiers are counted and left out.
/// </summary>
internal sealed class TierLabels
{
    public const int StrongWins = 0;
    public const int Tie = 1;
    public const int WeakWins = 2;

    private TierLabels(IReadOnlyList<LabelledPrompt> prompts, int battlesUsed, int battlesSkipped)
    {
        Prompts = prompts;
        BattlesUsed = battlesUsed;
        BattlesSkipped = battlesSkipped;
    }

    /// <summary>Prompts with at least one weighted battle between the tiers, in the training set's order.</summary>
    public IReadOnlyList<LabelledPrompt> Prompts { get; }

    /// <summary>Battles between a strong-tier and a weak-tier model.</summary>
    public int BattlesUsed { get; }

    /// <summary>Battles left out because they are not between the two tiers.</summary>
    public int BattlesSkipped { get; }

    /// <summary>Orients each battle between the tiers strong/weak and sums its weight into its prompt's class.</summary>
    /// <param name="trainingSet">The battles.</param>
    /// <param name="strongTier">Canonical names of the strong tier's models.</param>
    /// <param name="weakTier">Canonical names of the weak tier's models (disjoint from the strong tier).</param>
    public static TierLabels Build(TrainingSet trainingSet, IReadOnlySet<string> strongTier, IReadOnlySet<string> weakTier)
    {
        var tierOfModel = trainingSet.Models
            .Select(m => strongTier.Contains(m) ? Tier.Strong : weakTier.Contains(m) ? Tier.Weak : Tier.None)
            .ToArray();
        var sums = new double[trainingSet.Prompts.Count, 3];
        int used = 0, skipped = 0;
        foreach (var battle in trainingSet.Battles)
        {
            var (a, b) = (tierOfModel[battle.ModelA], tierOfModel[battle.ModelB]);
            if (a == Tier.None || b == Tier.None || a == b)
            {
                skipped++;
                continue;
            }

            used++;
            var strongScore = a == Tier.Strong ? battle.Label : 1 - battle.Label;
            var label = battle.IsTie ? Tie : strongScore == 1 ? StrongWins : WeakWins;
            sums[battle.Prompt, label] += battle.Weight;
        }

        var prompts = Enumerable.Range(0, trainingSet.Prompts.Count)
            .Select(p => new LabelledPrompt(p, [(float)sums[p, 0], (float)sums[p, 1], (float)sums[p, 2]]))
            .Where(p => p.Total > 0)
            .ToArray();
        return new TierLabels(prompts, used, skipped);
    }

    /// <summary>
    /// Class weights that make strong wins and weak wins weigh the same in total over <paramref name="prompts"/>
    /// (their total / (2 × class total)), leaving ties at 1: ties are rare in judge verdicts (0.4% of AlpacaEval's),
    /// and weighting them by inverse frequency would let a handful of noisy ties dominate the loss. A side that never
    /// occurs gets 0, and the other 1.
    /// </summary>
    public static float[] BalancedClassWeights(IEnumerable<LabelledPrompt> prompts)
    {
        double strong = 0, weak = 0;
        foreach (var prompt in prompts)
        {
            strong += prompt.Counts[StrongWins];
            weak += prompt.Counts[WeakWins];
        }

        var sides = (strong > 0 ? 1 : 0) + (weak > 0 ? 1 : 0);
        float Balance(double side) => side > 0 ? (float)((strong + weak) / (sides * side)) : 0f;
        return [Balance(strong), 1f, Balance(weak)];
    }

    private enum Tier
    {
        None,
        Strong,
        Weak,
    }
}

/// <summary>A prompt and the summed battle weight of each class (strong wins, tie, weak wins).</summary>
/// <param name="Prompt">Index into the training set's prompts.</param>
/// <param name="Counts">Summed battle weights, one per class.</param>
internal sealed record LabelledPrompt(int Prompt, float[] Counts)
{
    public float Total => Counts.Sum();
}
