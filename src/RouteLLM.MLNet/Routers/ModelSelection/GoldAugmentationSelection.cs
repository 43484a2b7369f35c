using System.Globalization;

namespace RouteLLM.MLNet.Routers.ModelSelection;

/// <summary>One held-out fold's scores.</summary>
/// <param name="Fold">Fold index, from 0.</param>
/// <param name="HeldOutBattles">Gold battles scored (ties included: they count in APGR).</param>
/// <param name="Apgr">Area under PGR over every strong-call share, on the held-out gold prompts.</param>
/// <param name="Auc">P(a strong-wins prompt scores above a weak-wins prompt).</param>
/// <param name="LogLoss">Cross-entropy of P(strong wins) on the held-out battles one model won.</param>
public sealed record FoldScore(int Fold, int HeldOutBattles, double Apgr, double Auc, double LogLoss);

/// <summary>A candidate's scores on every fold.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Folds">Its score on each held-out fold.</param>
public sealed record CandidateScore(AugmentationCandidate Candidate, IReadOnlyList<FoldScore> Folds)
{
    /// <summary>Mean held-out APGR over the folds (the selection criterion).</summary>
    public double MeanApgr => Folds.Average(f => f.Apgr);

    /// <summary>Standard error of <see cref="MeanApgr"/> across folds.</summary>
    public double ApgrStandardError
    {
        get
        {
            if (Folds.Count < 2) return double.NaN;
            var mean = MeanApgr;
            var variance = Folds.Sum(f => (f.Apgr - mean) * (f.Apgr - mean)) / (Folds.Count - 1);
            return Math.Sqrt(variance / Folds.Count);
        }
    }

    /// <summary>Mean held-out AUC over the folds that have both kinds of decisive prompt.</summary>
    public double MeanAuc => Folds.Where(f => !double.IsNaN(f.Auc)).Select(f => f.Auc).DefaultIfEmpty(double.NaN).Average();

    /// <summary>Mean held-out log-loss over the folds.</summary>
    public double MeanLogLoss => Folds.Where(f => !double.IsNaN(f.LogLoss)).Select(f => f.LogLoss).DefaultIfEmpty(double.NaN).Average();
}

/// <summary>The outcome of <see cref="GoldAugmentationSelector.Select"/>: the chosen candidate and every candidate's fold scores.</summary>
/// <param name="Best">The candidate with the highest mean held-out APGR (the first, on a tie).</param>
/// <param name="Candidates">All candidates' scores, in the order tried.</param>
public sealed record GoldAugmentationSelection(AugmentationCandidate Best, IReadOnlyList<CandidateScore> Candidates)
{
    /// <summary>
    /// The selection as manifest metrics: <c>selection.gold_weight</c>, <c>selection.include_battles</c>,
    /// <c>selection.apgr</c>, and for candidate <c>i</c> its settings, mean scores and per-fold APGR
    /// (<c>selection.candidate{i}.fold{f}.apgr</c>). Undefined scores (NaN) are left out: JSON has no NaN.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToMetrics()
    {
        var best = Candidates.First(c => c.Candidate == Best);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["selection.gold_weight"] = Best.GoldWeight,
            ["selection.include_battles"] = Best.IncludeBattles ? 1 : 0,
            ["selection.folds"] = best.Folds.Count,
            ["selection.apgr"] = best.MeanApgr,
            ["selection.apgr_se"] = best.ApgrStandardError,
        };
        for (var i = 0; i < Candidates.Count; i++)
        {
            var score = Candidates[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"selection.candidate{i}.");
            metrics[prefix + "gold_weight"] = score.Candidate.GoldWeight;
            metrics[prefix + "include_battles"] = score.Candidate.IncludeBattles ? 1 : 0;
            metrics[prefix + "apgr"] = score.MeanApgr;
            metrics[prefix + "auc"] = score.MeanAuc;
            metrics[prefix + "log_loss"] = score.MeanLogLoss;
            foreach (var fold in score.Folds)
            {
                metrics[prefix + string.Create(CultureInfo.InvariantCulture, $"fold{fold.Fold}.apgr")] = fold.Apgr;
            }
        }

        foreach (var undefined in metrics.Where(m => double.IsNaN(m.Value)).Select(m => m.Key).ToList())
        {
            metrics.Remove(undefined);
        }

        return metrics;
    }
}
