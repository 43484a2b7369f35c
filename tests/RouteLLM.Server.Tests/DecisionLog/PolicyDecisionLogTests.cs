using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.MultiModelServerHarness;

namespace RouteLLM.Server.Tests.DecisionLog;

/// <summary>
/// Requests routed by a multi-model policy name are logged and reported. With λ = 20 the prompt <see cref="MidPrompt"/>
/// (qualities 0.9, 0.8, 0.5 for big, mid, small) ranks mid, big, small (see <see cref="MultiModelServingTests"/>), and
/// <see cref="BigPrompt"/> (0.99, 0.5, 0.5) ranks big first: 0.99 − 20 × 0.01 = 0.79 beats mid's 0.5 − 0.04.
/// </summary>
public sealed class PolicyDecisionLogTests : IDisposable
{
    internal const string Policy = "router-q-wtp-20";
    internal const string MidPrompt = "q=0.9,0.8,0.5 what is 2+2?";
    internal const string BigPrompt = "q=0.99,0.5,0.5 prove it";

    private readonly TemporaryDirectory _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task A_policy_routed_request_is_logged_with_its_ranking_and_the_report_counts_share_spend_and_savings()
    {
        string midId;
        await using (var server = await StartAsync(Settings()))
        {
            using var first = await server.PostAsync(Policy, MidPrompt);
            using var second = await server.PostAsync(Policy, MidPrompt);
            using var third = await server.PostAsync(Policy, BigPrompt);
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
            midId = Id(first);
        }

        var entries = DecisionLogFiles.ReadDecisions(_log.Path).Items;
        Assert.Equal(3, entries.Count);
        var mid = entries.Single(e => e.Id == midId);
        Assert.Equal(("q", 1, Policy, Mid, Mid, "ok", MidPrompt), (mid.Router, mid.RouterVersion, mid.Policy, mid.Route, mid.Model, mid.Outcome, mid.Prompt));
        Assert.Equal((20.0, 0.8f), (mid.Lambda, mid.PredictedQuality));
        Assert.Equal(EstimatedCost(Mid, MidPrompt), mid.EstimatedCostUsd!.Value, 12);
        Assert.Equal(EstimatedCost(Big, MidPrompt), mid.MostExpensiveCostUsd!.Value, 12);
        Assert.Equal([(Mid, 0.8f), (Big, 0.9f), (Small, 0.5f)], mid.Predictions!.Select(p => (p.Model, p.Quality)));
        Assert.Equal(EstimatedCost(Small, MidPrompt), mid.Predictions![2].CostUsd, 12);
        Assert.Equal((null, null, null, null), (mid.StrongModel, mid.WeakModel, mid.Threshold, mid.StrongWinRate));
        // The fake upstream reports 5 input and 3 output tokens; mid costs 0.5 and 8 USD per million.
        Assert.Equal((5L, 3L, (5 * 0.5m + 3 * 8m) / 1_000_000m), (mid.InputTokens!.Value, mid.OutputTokens!.Value, mid.CostUsd!.Value));

        var usage = Assert.Single(DecisionLogReport.Summarize(entries));
        Assert.Equal((Policy, "q", 1, 3), (usage.Policy, usage.Router, usage.RouterVersion, usage.Requests));
        Assert.Equal(new Dictionary<string, int> { [Big] = 1, [Mid] = 2 }, usage.RequestsByModel);
        Assert.Equal((2 * (5 * 0.5m + 3 * 8m) + (5 * 1m + 3 * 40m)) / 1_000_000m, usage.SpendUsd);
        // Always the most expensive model: big's estimate for each request; savings: what the two mid answers save on it.
        var alwaysBig = (2 * EstimatedCost(Big, MidPrompt)) + EstimatedCost(Big, BigPrompt);
        Assert.Equal(alwaysBig, (double)usage.AlwaysStrongUsd!.Value, 12);
        Assert.Equal(2 * (EstimatedCost(Big, MidPrompt) - EstimatedCost(Mid, MidPrompt)), (double)usage.SavingsUsd!.Value, 12);
        Assert.Equal(1 / 3.0, usage.RoutedStrongShare, 12);
        Assert.Equal((null, 0, 0), (usage.CalibratedStrongShare, usage.FailedRequests, usage.UnpricedRequests));
    }

    [Fact]
    public async Task A_failover_is_logged_with_the_route_and_the_answering_model_and_feedback_becomes_battles_against_the_most_expensive()
    {
        string failedOverId, downId, preferredId;
        await using (var server = await StartAsync(Settings()))
        {
            using var down = await server.PostAsync(Policy, MidPrompt);
            using var preferred = await server.PostAsync(Policy, MidPrompt + " again");
            server.Upstream.Behave(Mid, UpstreamBehaviour.Fail500);
            using var failedOver = await server.PostAsync(Policy, MidPrompt + " once more");
            Assert.Equal(HttpStatusCode.OK, failedOver.StatusCode);
            (downId, preferredId, failedOverId) = (Id(down), Id(preferred), Id(failedOver));

            using var thumbsDown = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = downId, ["rating"] = -1 });
            using var small = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = preferredId, ["preferred_model"] = Small });
            using var onBig = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = failedOverId, ["rating"] = 1 });
            using var unknown = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = downId, ["preferred_model"] = "gpt-5" });
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (thumbsDown.StatusCode, small.StatusCode, onBig.StatusCode));
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        var failover = DecisionLogFiles.ReadDecisions(_log.Path).Items.Single(e => e.Id == failedOverId);
        Assert.Equal((Mid, Big, "failover", 0.9f), (failover.Route, failover.Model, failover.Outcome, failover.PredictedQuality));

        // Thumbs down on mid: big (the most expensive ranked) wins; small preferred over mid: small wins; a rating of
        // big's own answer judges no cheaper model: skipped and counted.
        var read = FeedbackBattles.Read(_log.Path);
        Assert.Equal(
            [(MidPrompt, Big, Mid, BattleOutcome.ModelAWins), (MidPrompt + " again", Small, Mid, BattleOutcome.ModelAWins)],
            read.Items.Select(b => (b.Prompt, b.ModelA, b.ModelB, b.Outcome)));
        Assert.Equal(1, read.Skipped.Total);
    }

    internal static string Id(HttpResponseMessage response) => response.Headers.GetValues("x-routellm-response-id").Single();

    /// <summary>A decision log with prompts in <paramref name="directory"/>.</summary>
    internal static Dictionary<string, string?> LogSettings(string directory) => new()
    {
        ["RouteLLM:DecisionLog:Directory"] = directory,
        ["RouteLLM:DecisionLog:IncludePrompt"] = "true",
    };

    private Dictionary<string, string?> Settings() => LogSettings(_log.Path);
}
