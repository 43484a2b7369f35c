using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class DecisionLogReportTests
{
    private const string Strong = "gpt-4";
    private const string Weak = "mixtral";
    private static readonly DateTimeOffset Day1 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Shares_spend_savings_and_drift_are_computed_per_policy_and_router_version()
    {
        DecisionLogEntry[] entries =
        [
            Entry("router-mf@0.25", 1, Day1, "strong", Strong, 0.30m),
            Entry("router-mf@0.25", 1, Day1, "strong", Strong, 0.10m),
            Entry("router-mf@0.25", 1, Day1.AddDays(1), "weak", Weak, 0.01m),
            Entry("router-mf@0.25", 1, Day1.AddDays(1), "weak", Weak, null, outcome: "upstream_error"),
            Entry("router-mf@0.25", 2, Day1.AddDays(2), "weak", Weak, 0.02m),
        ];

        var usage = DecisionLogReport.Summarize(entries);

        Assert.Equal(2, usage.Count);
        var v1 = usage[0];
        Assert.Equal(("router-mf@0.25", "mf", 1, 4), (v1.Policy, v1.Router, v1.RouterVersion, v1.Requests));
        Assert.Equal(new Dictionary<string, int> { [Strong] = 2, [Weak] = 2 }, v1.RequestsByModel);
        Assert.Equal(0.41m, v1.SpendUsd);
        Assert.Equal(1, v1.UnpricedRequests);
        // Always strong: 4 requests at the mean strong cost (0.30 + 0.10) / 2 = 0.20.
        Assert.Equal(0.80m, v1.AlwaysStrongUsd);
        Assert.Equal(0.39m, v1.SavingsUsd);
        Assert.Equal(0.5, v1.RoutedStrongShare);
        Assert.Equal(0.25, v1.CalibratedStrongShare);
        Assert.Equal(0.25, v1.Drift!.Value, 12);
        Assert.Equal(1, v1.FailedRequests);
        Assert.Equal([new DailyStrongShare(new DateOnly(2026, 1, 1), 2, 1.0), new DailyStrongShare(new DateOnly(2026, 1, 2), 2, 0.0)], v1.Days);

        var v2 = usage[1];
        Assert.Equal((2, 1, 0.0), (v2.RouterVersion, v2.Requests, v2.RoutedStrongShare));
        Assert.Null(v2.AlwaysStrongUsd);
        Assert.Null(v2.SavingsUsd);
    }

    [Fact]
    public void A_multi_model_shadow_counts_what_the_policy_chose_beside_what_was_served_and_the_savings_it_would_give()
    {
        // Every request served by big (the shadow's model, 0.01 USD estimated); the policy chose mid (0.002) twice and
        // big once. What it would save: (0.01 − 0.002) × 2 + (0.01 − 0.01) = 0.016, though big served all three.
        DecisionLogEntry[] entries =
        [
            Shadow("mid", 0.012m),
            Shadow("mid", 0.011m),
            Shadow("big", 0.010m),
        ];

        var usage = Assert.Single(DecisionLogReport.Summarize(entries));

        Assert.Equal(("shadow-mf-wtp-20-to-big", 3), (usage.Policy, usage.Requests));
        Assert.Equal(new Dictionary<string, int> { ["big"] = 3 }, usage.RequestsByModel);
        Assert.Equal(new Dictionary<string, int> { ["big"] = 1, ["mid"] = 2 }, usage.RequestsByRoute);
        Assert.Equal(0.033m, usage.SpendUsd);
        Assert.Equal(0.03m, usage.AlwaysStrongUsd);
        Assert.Equal(0.016m, usage.SavingsUsd);
        Assert.Equal(1 / 3.0, usage.RoutedStrongShare, 12);
        Assert.Null(usage.CalibratedStrongShare);
    }

    [Theory]
    [InlineData("router-mf@0.3", 0.3)]
    [InlineData("shadow-mf@0.3-weak", 0.3)]
    [InlineData("router-mf-0.5", null)]
    [InlineData("shadow-mf-0.5-strong", null)]
    [InlineData("shadow-mf-wtp-50-to-gpt-4", null)]
    public void The_calibrated_share_is_read_from_the_policy_name(string policy, double? share) =>
        Assert.Equal(share, DecisionLogReport.CalibratedStrongShare(policy));

    [Fact]
    public void A_bad_line_is_named_by_file_and_line_or_skipped_and_counted()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllLines(directory.File("decisions-20260101-001.jsonl"), ["""{"time":"2026-01-01T00:00:00Z"}"""]);

        var error = Assert.Throws<DataFormatException>(() => DecisionLogFiles.ReadDecisions(directory.Path));
        Assert.Contains("decisions-20260101-001.jsonl", error.Message);
        Assert.Contains(":1", error.Message);

        var skipped = DecisionLogFiles.ReadDecisions(directory.Path, new DataReadOptions { SkipBadRows = true });
        Assert.Empty(skipped.Items);
        Assert.Equal(1, skipped.Skipped.Total);
    }

    // A multi-model shadow line as the server writes it: the answering model's estimates, the ranking best first.
    private static DecisionLogEntry Shadow(string route, decimal cost) => new()
    {
        Time = Day1,
        Id = Guid.NewGuid().ToString("N"),
        Router = "mf",
        RouterVersion = 1,
        Policy = "shadow-mf-wtp-20-to-big",
        Route = route,
        Shadow = true,
        Lambda = 20,
        PredictedQuality = 0.9f,
        EstimatedCostUsd = 0.01,
        MostExpensiveCostUsd = 0.01,
        Predictions = route == "mid"
            ? [new("mid", 0.8f, 0.002), new("big", 0.9f, 0.01), new("small", 0.5f, 0.0002)]
            : [new("big", 0.9f, 0.01), new("mid", 0.8f, 0.002), new("small", 0.5f, 0.0002)],
        Model = "big",
        PromptHash = "00",
        CostUsd = cost,
        LatencyMs = 1,
        Outcome = "ok",
    };

    private static DecisionLogEntry Entry(string policy, int version, DateTimeOffset time, string route, string model, decimal? cost, string outcome = "ok") => new()
    {
        Time = time,
        Id = Guid.NewGuid().ToString("N"),
        Router = "mf",
        RouterVersion = version,
        Policy = policy,
        Threshold = 0.5,
        StrongWinRate = route == "strong" ? 0.9 : 0.1,
        Route = route,
        StrongModel = Strong,
        WeakModel = Weak,
        Model = model,
        PromptHash = "00",
        CostUsd = cost,
        LatencyMs = 1,
        Outcome = outcome,
    };
}
