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
/// A multi-model policy's shadow name is logged with the policy's decision, reported as what the policy would have
/// done, and its feedback judges the model that answered. With λ = 20, <see cref="MidPrompt"/> ranks mid, big, small
/// and <see cref="BigPrompt"/> big first (see <see cref="PolicyDecisionLogTests"/>).
/// </summary>
public sealed class PolicyShadowDecisionLogTests : IDisposable
{
    private const string Policy = PolicyDecisionLogTests.Policy;
    private const string Shadow = "shadow-q-wtp-20-to-big";
    private const string MidPrompt = PolicyDecisionLogTests.MidPrompt;
    private const string BigPrompt = PolicyDecisionLogTests.BigPrompt;

    private readonly TemporaryDirectory _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task A_shadow_line_holds_the_policys_choice_and_ranking_and_the_model_that_served()
    {
        string shadowId, policyId;
        await using (var server = await StartAsync(Settings()))
        {
            using var shadow = await server.PostAsync(Shadow, MidPrompt);
            using var policy = await server.PostAsync(Policy, MidPrompt);
            (shadowId, policyId) = (Id(shadow), Id(policy));
            Assert.Equal((1, 1), (server.Upstream.CallsFor(Big), server.Upstream.CallsFor(Mid)));
        }

        var entries = DecisionLogFiles.ReadDecisions(_log.Path).Items;
        var logged = entries.Single(e => e.Id == shadowId);
        var routed = entries.Single(e => e.Id == policyId);
        Assert.Equal((Shadow, Mid, Big, true, "ok"), (logged.Policy, logged.Route, logged.Model, logged.Shadow, logged.Outcome));
        Assert.Equal((Policy, Mid, Mid, false), (routed.Policy, routed.Route, routed.Model, routed.Shadow));

        // The same ranking as the policy name's, and big's own figures as the model that answered.
        Assert.Equal(routed.Predictions, logged.Predictions);
        Assert.Equal((routed.Lambda, routed.MostExpensiveCostUsd), (logged.Lambda, logged.MostExpensiveCostUsd));
        Assert.Equal(0.9f, logged.PredictedQuality);
        Assert.Equal(EstimatedCost(Big, MidPrompt), logged.EstimatedCostUsd!.Value, 12);
        // The fake upstream reports 5 input and 3 output tokens; big costs 1 and 40 USD per million.
        Assert.Equal((5 * 1m + 3 * 40m) / 1_000_000m, logged.CostUsd);
    }

    [Fact]
    public async Task The_report_counts_what_the_policy_would_have_chosen_what_was_served_and_the_savings_it_would_give()
    {
        await using (var server = await StartAsync(Settings()))
        {
            using var first = await server.PostAsync(Shadow, MidPrompt);
            using var second = await server.PostAsync(Shadow, MidPrompt);
            using var third = await server.PostAsync(Shadow, BigPrompt);
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        }

        var usage = Assert.Single(DecisionLogReport.Summarize(DecisionLogFiles.ReadDecisions(_log.Path).Items));
        Assert.Equal((Shadow, "q", 3, 0), (usage.Policy, usage.Router, usage.Requests, usage.FailedRequests));
        Assert.Equal(new Dictionary<string, int> { [Big] = 3 }, usage.RequestsByModel);
        Assert.Equal(new Dictionary<string, int> { [Big] = 1, [Mid] = 2 }, usage.RequestsByRoute);
        Assert.Equal(3 * (5 * 1m + 3 * 40m) / 1_000_000m, usage.SpendUsd);
        // Big served every request, so it saved nothing; the policy would have saved big − mid on the two mid prompts.
        Assert.Equal((2 * EstimatedCost(Big, MidPrompt)) + EstimatedCost(Big, BigPrompt), (double)usage.AlwaysStrongUsd!.Value, 12);
        Assert.Equal(2 * (EstimatedCost(Big, MidPrompt) - EstimatedCost(Mid, MidPrompt)), (double)usage.SavingsUsd!.Value, 12);
        Assert.Equal(1 / 3.0, usage.RoutedStrongShare, 12);
    }

    [Fact]
    public async Task A_failover_from_the_shadows_model_is_logged_as_one()
    {
        string id;
        await using (var server = await StartAsync(Settings()))
        {
            server.Upstream.Behave(Big, UpstreamBehaviour.Fail500);
            using var response = await server.PostAsync(Shadow, MidPrompt);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            id = Id(response);
        }

        var entry = DecisionLogFiles.ReadDecisions(_log.Path).Items.Single(e => e.Id == id);
        Assert.Equal((Mid, Mid, true, "failover", 0.8f), (entry.Route, entry.Model, entry.Shadow, entry.Outcome, entry.PredictedQuality));
    }

    [Fact]
    public async Task Feedback_on_a_shadow_answer_judges_the_model_that_answered_not_the_policys_choice()
    {
        string onMidId, onBigId;
        await using (var server = await StartAsync(Settings()))
        {
            // The policy chooses big for BigPrompt, but mid answers; it chooses mid for MidPrompt, but big answers.
            using var onMid = await server.PostAsync("shadow-q-wtp-20-to-mid", BigPrompt);
            using var onBig = await server.PostAsync(Shadow, MidPrompt);
            (onMidId, onBigId) = (Id(onMid), Id(onBig));
            using var thumbsDown = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = onMidId, ["rating"] = -1 });
            using var thumbsUp = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = onBigId, ["rating"] = 1 });
            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (thumbsDown.StatusCode, thumbsUp.StatusCode));
        }

        // Thumbs down on mid's answer: big, the most expensive ranked, wins against mid. A rating of big's own answer
        // judges no cheaper model, though the policy chose mid: skipped and counted.
        var read = FeedbackBattles.Read(_log.Path);
        Assert.Equal([(BigPrompt, Big, Mid, BattleOutcome.ModelAWins)], read.Items.Select(b => (b.Prompt, b.ModelA, b.ModelB, b.Outcome)));
        Assert.Equal(1, read.Skipped.Total);
    }

    private static string Id(HttpResponseMessage response) => PolicyDecisionLogTests.Id(response);

    private Dictionary<string, string?> Settings() => PolicyDecisionLogTests.LogSettings(_log.Path);
}
