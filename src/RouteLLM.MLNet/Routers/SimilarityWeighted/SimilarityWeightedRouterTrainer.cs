using Microsoft.ML;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Ranking;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// Trains RouteLLM's similarity-weighted (SW) ranking router. Models are grouped into tiers by their Elo over all
/// battles; for each query, every battle is weighted by its prompt's similarity to the query and the tiers are
/// re-rated by weighted Bradley-Terry; P(strong wins) comes from the ratings of the strong and weak models' tiers.
/// Training keeps, per distinct prompt, its tier-versus-tier win counts, which makes each query one similarity pass
/// over distinct prompts and a Newton fit over the tiers. Per-prompt scores of single models join as battles between
/// the models scored on a prompt, and are kept per prompt for the similarity-weighted mean of each model's score.
/// </summary>
public sealed partial class SimilarityWeightedRouterTrainer : RouterTrainerBase<SimilarityWeightedRouterModel, SimilarityWeightedRouterTrainer.Options>
{
    internal const string KindName = "sw";

    internal SimilarityWeightedRouterTrainer(MLContext context, Options options)
        : base(context, options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Tiers, 1, $"{nameof(Options)}.{nameof(Options.Tiers)}");
        if (!double.IsFinite(options.SimilarityBase) || options.SimilarityBase < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SimilarityBase, $"{nameof(Options)}.{nameof(Options.SimilarityBase)} must be finite and ≥ 1.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MinPromptLength, $"{nameof(Options)}.{nameof(Options.MinPromptLength)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbours, 1, $"{nameof(Options)}.{nameof(Options.Neighbours)}");
        if (options.Shrinkage is { } shrinkage && (!double.IsFinite(shrinkage) || shrinkage < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), shrinkage, $"{nameof(Options)}.{nameof(Options.Shrinkage)} must be finite and ≥ 0.");
        }

        if (options.Extend is { } extended)
        {
            if (extended.KeptScores)
            {
                throw new ArgumentException($"{nameof(Options)}.{nameof(Options.Extend)}: the router kept per-prompt scores, which have no column for the models an extension adds; only an SW router trained on battles alone can be extended.", nameof(options));
            }

            if (extended.Manifest.Embedder?.Id != options.Embedder?.Id)
            {
                throw new ArgumentException($"{nameof(Options)}.{nameof(Options.Extend)}: the router reads '{extended.Manifest.Embedder?.Id}'; this training reads '{options.Embedder?.Id}'.", nameof(options));
            }
        }
    }

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <inheritdoc/>
    protected override bool ReadsEmbeddings => true;

    /// <inheritdoc/>
    protected override SimilarityWeightedRouterModel TrainCore(TrainingSet trainingSet)
    {
        var options = TrainerOptions;
        var kept = new KeptBattles(options.MinPromptLength);
        kept.Add(trainingSet);

        if (trainingSet.Scores.Count > 0)
        {
            kept.Add(trainingSet.ScoresAsBattles());
        }

        if (kept.Battles.Count == 0)
        {
            throw new ArgumentException($"No battle has a prompt of at least {options.MinPromptLength} characters ({kept.Dropped} dropped).");
        }

        if (options.Extend is { } extended)
        {
            return Extend(extended, trainingSet, kept);
        }

        var models = kept.Battles.SelectMany(b => new[] { b.ModelA, b.ModelB }).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (options.Tiers > models.Length)
        {
            throw new ArgumentException(
                $"{nameof(Options)}.{nameof(Options.Tiers)} is {options.Tiers}, but the battles (prompts of at least {options.MinPromptLength} characters) rate only {models.Length} models.");
        }

        foreach (var model in new[] { options.StrongModel, options.WeakModel }.Select(ModelAliases.Default.Canonical))
        {
            if (Array.BinarySearch(models, model, StringComparer.Ordinal) < 0)
            {
                throw new ArgumentException(
                    $"Model '{model}' has no battle with a prompt of at least {options.MinPromptLength} characters, so the router cannot rate it.");
            }
        }

        var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
        var modelWins = new PairwiseWins(models.Length);
        foreach (var b in kept.Battles)
        {
            modelWins.AddBattle(modelIndex[b.ModelA], modelIndex[b.ModelB], b.Outcome, b.Weight);
        }

        var ratings = BradleyTerry.Rate(models, modelWins);
        var tierOf = Tiers.Compute(ratings, options.Tiers);
        var tiers = tierOf.Values.Max() + 1;
        var table = TierCounts(kept, tierOf, tiers);

        var metrics = new Dictionary<string, double>
        {
            ["battles"] = kept.Battles.Count,
            ["gold_battles"] = kept.Battles.Count(b => b.IsGold),
            ["battles_dropped_short_prompt"] = kept.Dropped,
            ["prompts"] = kept.Prompts.Count,
            ["models"] = models.Length,
            ["tiers"] = tiers,
        };
        var scores = ScoreTable(trainingSet, kept.Prompts, models, metrics);
        var prompts = new PromptEmbeddings(options.Embedder!, [.. kept.Embeddings]);
        var qualities = new MultiModelQualities(Pointwise: scores is not null, PromptCostModel.Fit(trainingSet));
        var neighbourScores = new NeighbourScores(options.Neighbours, scores, models.Length, options.Shrinkage ?? 0);
        if (scores is not null && options.Shrinkage is null)
        {
            var chosen = ShrinkageSelection.Choose(prompts, neighbourScores, models.Length, Math.Log(options.SimilarityBase));
            neighbourScores = new NeighbourScores(options.Neighbours, scores, models.Length, chosen);
        }

        if (scores is not null)
        {
            metrics["shrinkage"] = neighbourScores.Shrinkage;
        }

        var manifest = CreateManifest(trainingSet, metrics, requirePairInData: false) with { Models = models };
        return new SimilarityWeightedRouterModel(manifest, prompts, table, tierOf, options.SimilarityBase, neighbourScores, qualities);
    }

    private static TierWinTable TierCounts(KeptBattles kept, IReadOnlyDictionary<string, int> tierOf, int tiers)
    {
        var cells = PairwiseWins.CellCount(tiers);
        var perPrompt = new PairwiseWins?[kept.Prompts.Count];
        foreach (var b in kept.Battles)
        {
            (perPrompt[b.Prompt] ??= new PairwiseWins(tiers)).AddBattle(tierOf[b.ModelA], tierOf[b.ModelB], b.Outcome, b.Weight);
        }

        var counts = new float[kept.Prompts.Count * cells];
        for (var p = 0; p < perPrompt.Length; p++)
        {
            var row = perPrompt[p]!.Cells;
            for (var c = 0; c < cells; c++) counts[p * cells + c] = (float)row[c];
        }

        return new TierWinTable(tiers, kept.Prompts.Count, counts);
    }

    /// <summary>The battles whose prompt is long enough, with their distinct prompts and embeddings.</summary>
    private sealed class KeptBattles(int minPromptLength)
    {
        private readonly Dictionary<string, int> _promptIndex = new(StringComparer.Ordinal);

        public List<string> Prompts { get; } = [];

        public List<float> Embeddings { get; } = [];

        public List<(int Prompt, string ModelA, string ModelB, BattleOutcome Outcome, double Weight, bool IsGold)> Battles { get; } = [];

        public int Dropped { get; private set; }

        public void Add(TrainingSet set)
        {
            var longEnough = set.Prompts.Select(p => LongEnough(p, minPromptLength)).ToArray();
            foreach (var battle in set.Battles)
            {
                if (!longEnough[battle.Prompt])
                {
                    Dropped++;
                    continue;
                }

                var text = set.Prompts[battle.Prompt];
                if (!_promptIndex.TryGetValue(text, out var prompt))
                {
                    prompt = Prompts.Count;
                    _promptIndex.Add(text, prompt);
                    Prompts.Add(text);
                    Embeddings.AddRange(set.Embedding(battle.Prompt));
                }

                var outcome = battle.IsTie ? BattleOutcome.Tie : battle.Label == 1 ? BattleOutcome.ModelAWins : BattleOutcome.ModelBWins;
                Battles.Add((prompt, set.Models[battle.ModelA], set.Models[battle.ModelB], outcome, battle.Weight, battle.IsGold));
            }
        }

        private static bool LongEnough(string prompt, int minimum)
        {
            var length = 0;
            foreach (var _ in prompt.AsSpan().Trim().EnumerateRunes())
            {
                if (++length >= minimum) return true;
            }

            return length >= minimum;
        }
    }
}
