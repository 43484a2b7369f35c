using System.Globalization;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>
/// What a routing server's decision log says about each policy (the model name clients asked for) and router version:
/// the share of requests per model, the spend, the estimated savings against always using the strong model (for a
/// multi-model policy, the most expensive model it ranked), and the share routed to the strong model against the share
/// the policy was calibrated for (the drift).
/// </summary>
public static class DecisionLogReport
{
    /// <summary>Summarizes <paramref name="entries"/> by policy, router version and router digest, in order of first appearance.</summary>
    /// <remarks>
    /// The log holds what each request cost, not what it would have cost on the other model. A request's cost on the
    /// strong model is estimated as the mean cost of the requests the strong model answered under the same policy;
    /// the strong model gets the harder prompts, so this estimate errs high for the weak model's share and the savings
    /// err high with it. A multi-model entry carries the catalogue's estimates of its cost on the answering and on the
    /// most expensive model; its savings are their difference, summed (the server's savings counter). A multi-model
    /// shadow entry's savings are those the policy would have given: the most expensive model's estimate less the
    /// estimate of the model the policy chose (its <see cref="DecisionLogEntry.Predictions"/>), not of the model that answered.
    /// </remarks>
    public static IReadOnlyList<PolicyUsage> Summarize(IEnumerable<DecisionLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return [.. entries.GroupBy(e => (e.Policy, e.Router, e.RouterVersion, e.RouterDigest)).Select(Summarize)];
    }

    /// <summary>The strong share a policy's model name asks for (<c>router-NAME@SHARE</c>, <c>shadow-NAME@SHARE-ROLE</c>); null for a fixed threshold.</summary>
    public static double? CalibratedStrongShare(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var at = policy.LastIndexOf('@');
        if (at < 0)
        {
            return null;
        }

        var share = policy[(at + 1)..];
        if (policy.StartsWith("shadow-", StringComparison.Ordinal) && share.LastIndexOf('-') is var dash and > 0)
        {
            share = share[..dash];
        }

        return double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static PolicyUsage Summarize(IGrouping<(string Policy, string Router, int RouterVersion, string? RouterDigest), DecisionLogEntry> group)
    {
        var entries = group.ToArray();
        var spend = entries.Sum(e => e.CostUsd ?? 0m);
        var (alwaysStrong, savings) = IsMultiModel(entries[^1]) ? MultiModelSavings(entries) : StrongWeakSavings(entries, spend);
        var days = entries.GroupBy(e => DateOnly.FromDateTime(e.Time.UtcDateTime)).OrderBy(d => d.Key)
            .Select(d => new DailyStrongShare(d.Key, d.Count(), d.Count(RoutedToStrongest) / (double)d.Count())).ToArray();
        return new PolicyUsage(
            group.Key.Policy,
            group.Key.Router,
            group.Key.RouterVersion,
            group.Key.RouterDigest,
            entries.Length,
            CountBy(entries, e => e.Model),
            CountBy(entries, e => e.Route),
            spend,
            entries.Count(e => e.CostUsd is null),
            alwaysStrong,
            savings,
            entries.Count(RoutedToStrongest) / (double)entries.Length,
            CalibratedStrongShare(group.Key.Policy),
            entries.Count(e => e.Outcome is not ("ok" or "failover")),
            days);
    }

    private static Dictionary<string, int> CountBy(DecisionLogEntry[] entries, Func<DecisionLogEntry, string> key) =>
        entries.GroupBy(key).OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => m.Count());

    private static bool IsMultiModel(DecisionLogEntry entry) => entry.MostExpensiveCostUsd is not null;

    // A strong/weak request routed to the strong model; a multi-model request routed to the most expensive model it ranked.
    private static bool RoutedToStrongest(DecisionLogEntry entry) =>
        entry.Predictions is { Count: > 0 } ranking ? entry.Route == ranking.MaxBy(p => p.CostUsd)!.Model : entry.Route == "strong";

    private static (decimal? AlwaysStrong, decimal? Savings) StrongWeakSavings(DecisionLogEntry[] entries, decimal spend)
    {
        var strongModel = entries[^1].StrongModel;
        var strongCosts = entries.Where(e => e.Model == strongModel && e.CostUsd is not null).Select(e => e.CostUsd!.Value).ToArray();
        decimal? alwaysStrong = strongCosts.Length > 0 ? strongCosts.Average() * entries.Length : null;
        return (alwaysStrong, alwaysStrong - spend);
    }

    // Both sides are the catalogue's estimates for the same request, as the server's savings counter counts them.
    private static (decimal? AlwaysStrong, decimal? Savings) MultiModelSavings(DecisionLogEntry[] entries)
    {
        var priced = entries.Select(e => (Strongest: e.MostExpensiveCostUsd, Chosen: EstimatedCost(e))).Where(e => e.Strongest is not null && e.Chosen is not null).ToArray();
        var alwaysStrongest = priced.Sum(e => (decimal)e.Strongest!.Value);
        return (alwaysStrongest, alwaysStrongest - priced.Sum(e => (decimal)e.Chosen!.Value));
    }

    // A shadow's answering model was fixed, not chosen: what the policy saves is its choice's cost, from the ranking.
    private static double? EstimatedCost(DecisionLogEntry entry) =>
        entry.Shadow ? entry.Predictions?.FirstOrDefault(p => p.Model == entry.Route)?.CostUsd : entry.EstimatedCostUsd;
}

/// <summary>One policy's (and router version's) traffic in a decision log.</summary>
/// <param name="Policy">The model name clients asked for, e.g. <c>router-mf@0.3</c>.</param>
/// <param name="Router">The router's name.</param>
/// <param name="RouterVersion">The router's version in the server (it grows at each hot reload, and starts again at 1 on a restart).</param>
/// <param name="RouterDigest">The digest of the router zip that decided; null for lines written before it was logged.</param>
/// <param name="Requests">Requests logged.</param>
/// <param name="RequestsByModel">Requests each model answered.</param>
/// <param name="RequestsByRoute">
/// Requests each route was chosen for: <c>strong</c> or <c>weak</c>, or a multi-model policy's chosen model. In shadow
/// mode this is what routing would have done, beside <paramref name="RequestsByModel"/>, what was served.
/// </param>
/// <param name="SpendUsd">What the priced requests cost.</param>
/// <param name="UnpricedRequests">Requests with no cost (no usage from the upstream, or no price for the model).</param>
/// <param name="AlwaysStrongUsd">
/// The estimated cost of sending every request to the strong model (multi-model: the most expensive model ranked, the
/// catalogue's estimate); null when no strong answer was priced.
/// </param>
/// <param name="SavingsUsd">
/// <see cref="AlwaysStrongUsd"/> less <see cref="SpendUsd"/>; multi-model: less the catalogue's estimates of the answering
/// models' costs, so that both sides are estimated alike (a shadow: of the models the policy chose, what it would save).
/// </param>
/// <param name="RoutedStrongShare">
/// The share of requests the router decided to send to the strong model (in shadow mode too); multi-model: to the most
/// expensive model ranked.
/// </param>
/// <param name="CalibratedStrongShare">The share the policy was calibrated for; null for a fixed threshold.</param>
/// <param name="FailedRequests">Requests whose upstream failed or refused them.</param>
/// <param name="Days">The routed strong share of each UTC day.</param>
public sealed record PolicyUsage(
    string Policy,
    string Router,
    int RouterVersion,
    string? RouterDigest,
    int Requests,
    IReadOnlyDictionary<string, int> RequestsByModel,
    IReadOnlyDictionary<string, int> RequestsByRoute,
    decimal SpendUsd,
    int UnpricedRequests,
    decimal? AlwaysStrongUsd,
    decimal? SavingsUsd,
    double RoutedStrongShare,
    double? CalibratedStrongShare,
    int FailedRequests,
    IReadOnlyList<DailyStrongShare> Days)
{
    /// <summary>How far the routed strong share is from the calibrated one (routed − calibrated); null for a fixed threshold.</summary>
    public double? Drift => RoutedStrongShare - CalibratedStrongShare;
}

/// <summary>The routed strong share of one UTC day.</summary>
/// <param name="Day">The day.</param>
/// <param name="Requests">Requests that day.</param>
/// <param name="StrongShare">The share the router sent (or, in shadow mode, would have sent) to the strong model.</param>
public sealed record DailyStrongShare(DateOnly Day, int Requests, double StrongShare);
