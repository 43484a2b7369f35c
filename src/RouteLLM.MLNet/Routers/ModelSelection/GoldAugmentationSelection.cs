using System.Globalization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>How well a router ranked one pool of held-out prompts (see <see cref="HeldOutRoutingMetrics"/>).</summary>
/// <param name="Prompts">Distinct held-out prompts scored.</param>
/// <param name="Apgr">Area under PGR over every strong-call share; 0.5 is random.</param>
/// <param name="Auc">P(a prompt the strong model wins scores above one the weak model wins); NaN without both kinds.</param>
/// <param name="LogLoss">Cross-entropy of P(strong wins) on the prompts one model won; NaN without any.</param>
public sealed record PoolScore(int Prompts, double Apgr, double Auc, double LogLoss);

/// <summary>One held-out fold's scores.</summary>
/// <param name="Fold">Fold index, from 0.</param>
/// <param name="Gold">The held-out gold prompts (gains +1/0/−1 from correctness, ties included: they count in APGR).</param>
/// <param name="Battles">
/// The held-out prompts of preference battles between the strong and the weak model (each prompt's gain the mean of
/// its battles' +1/0/−1); null when the battles do not cover every fold.
/// </param>
public sealed record FoldScore(int Fold, PoolScore Gold, PoolScore? Battles)
{
    /// <summary>The selection criterion on this fold: the mean of the two pools' APGR, or the gold APGR alone.</summary>
    public double Criterion => Battles is null ? Gold.Apgr : (Gold.Apgr + Battles.Apgr) / 2;
}

/// <summary>A candidate's scores on every fold.</summary>
/// <param name="Name">The candidate's name (<see cref="SelectionCandidate{TModel}.Name"/>).</param>
/// <param name="Data">Its training data.</param>
/// <param name="Folds">Its score on each held-out fold.</param>
public sealed record CandidateScore(string Name, AugmentationCandidate Data, IReadOnlyList<FoldScore> Folds)
{
    /// <summary>Mean <see cref="FoldScore.Criterion"/> over the folds: what the selection maximises.</summary>
    public double MeanCriterion => Mean(f => f.Criterion);

    /// <summary>Standard error of <see cref="MeanCriterion"/> across folds (NaN with one fold).</summary>
    public double CriterionStandardError => StandardError(f => f.Criterion);

    /// <summary>Mean held-out gold APGR.</summary>
    public double MeanGoldApgr => Mean(f => f.Gold.Apgr);

    /// <summary>Mean held-out battle APGR; NaN when battles were not scored.</summary>
    public double MeanBattleApgr => Mean(f => f.Battles?.Apgr ?? double.NaN);

    /// <summary>Mean of a per-fold score over the folds where it is defined (not NaN); NaN when it never is.</summary>
    /// <param name="score">The score of one fold.</param>
    public double Mean(Func<FoldScore, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return Folds.Select(score).Where(s => !double.IsNaN(s)).DefaultIfEmpty(double.NaN).Average();
    }

    /// <summary>Standard error of <see cref="Mean"/> across the folds where the score is defined; NaN for fewer than two.</summary>
    /// <param name="score">The score of one fold.</param>
    public double StandardError(Func<FoldScore, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var values = Folds.Select(score).Where(s => !double.IsNaN(s)).ToArray();
        if (values.Length < 2) return double.NaN;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) / values.Length);
    }
}

/// <summary>The outcome of <see cref="GoldAugmentationSelector.Select"/>: every candidate's fold scores and the chosen one.</summary>
/// <param name="BestIndex">Index of the candidate with the highest <see cref="CandidateScore.MeanCriterion"/> (the first, on a tie).</param>
/// <param name="Candidates">All candidates' scores, in the order tried.</param>
public sealed record GoldAugmentationSelection(int BestIndex, IReadOnlyList<CandidateScore> Candidates)
{
    /// <summary>The chosen candidate's scores.</summary>
    public CandidateScore Best => Candidates[BestIndex];

    /// <summary>
    /// The selection as manifest metrics: <c>selection.best</c> (the chosen index), <c>selection.criterion</c>,
    /// <c>selection.gold_apgr</c>, <c>selection.battle_apgr</c>, and for candidate <c>i</c> its data, mean scores and
    /// per-fold APGRs (<c>selection.candidate{i}.fold{f}.gold_apgr</c>). Undefined scores (NaN) are left out: JSON has no NaN.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToMetrics()
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["selection.best"] = BestIndex,
            ["selection.folds"] = Best.Folds.Count,
            ["selection.gold_weight"] = Best.Data.GoldWeight,
            ["selection.battles"] = (int)Best.Data.Battles,
            ["selection.criterion"] = Best.MeanCriterion,
            ["selection.criterion_se"] = Best.CriterionStandardError,
            ["selection.gold_apgr"] = Best.MeanGoldApgr,
            ["selection.battle_apgr"] = Best.MeanBattleApgr,
        };
        for (var i = 0; i < Candidates.Count; i++)
        {
            var score = Candidates[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"selection.candidate{i}.");
            metrics[prefix + "gold_weight"] = score.Data.GoldWeight;
            metrics[prefix + "battles"] = (int)score.Data.Battles;
            metrics[prefix + "criterion"] = score.MeanCriterion;
            metrics[prefix + "criterion_se"] = score.CriterionStandardError;
            metrics[prefix + "gold_apgr"] = score.MeanGoldApgr;
            metrics[prefix + "gold_auc"] = score.Mean(f => f.Gold.Auc);
            metrics[prefix + "gold_log_loss"] = score.Mean(f => f.Gold.LogLoss);
            metrics[prefix + "battle_apgr"] = score.MeanBattleApgr;
            metrics[prefix + "battle_auc"] = score.Mean(f => f.Battles?.Auc ?? double.NaN);
            metrics[prefix + "battle_log_loss"] = score.Mean(f => f.Battles?.LogLoss ?? double.NaN);
            foreach (var fold in score.Folds)
            {
                var foldPrefix = prefix + string.Create(CultureInfo.InvariantCulture, $"fold{fold.Fold}.");
                metrics[foldPrefix + "gold_apgr"] = fold.Gold.Apgr;
                metrics[foldPrefix + "battle_apgr"] = fold.Battles?.Apgr ?? double.NaN;
            }
        }

        foreach (var undefined in metrics.Where(m => double.IsNaN(m.Value)).Select(m => m.Key).ToList())
        {
            metrics.Remove(undefined);
        }

        return metrics;
    }

    /// <summary>The candidates' names for the manifest's training options: <c>selection.candidate{i}</c> → name, and <c>selection.chosen</c>.</summary>
    public IReadOnlyDictionary<string, string> ToDescriptions()
    {
        var names = Candidates.Select((c, i) => (Key: string.Create(CultureInfo.InvariantCulture, $"selection.candidate{i}"), c.Name))
            .ToDictionary(p => p.Key, p => p.Name, StringComparer.Ordinal);
        names["selection.chosen"] = Best.Name;
        return names;
    }
}
