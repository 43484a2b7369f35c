using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RouteLLM.MLNet.Data;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests.DecisionLog;

public sealed class DecisionLogTests : IDisposable
{
    private readonly TemporaryDirectory _log = new();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Each_request_is_one_line_with_its_decision_model_tokens_cost_and_a_prompt_hash()
    {
        string strongId, weakId;
        await using (var server = await StartAsync(Settings()))
        {
            using var strong = await server.PostAsync(Chat("router-r-0.5", "p=0.7 explain"));
            using var weak = await server.PostAsync(Chat("router-r-0.5", "hello"));
            Assert.Equal(HttpStatusCode.OK, strong.StatusCode);
            strongId = strong.Headers.GetValues("x-routellm-response-id").Single();
            weakId = weak.Headers.GetValues("x-routellm-response-id").Single();
        }

        var entries = DecisionLogFiles.ReadDecisions(_log.Path).Items;
        Assert.Equal(2, entries.Count);
        var first = entries.Single(e => e.Id == strongId);
        Assert.Equal(("r", "router-r-0.5", 0.5, "strong", StrongModel, "ok", false), (first.Router, first.Policy, first.Threshold, first.Route, first.Model, first.Outcome, first.Shadow));
        Assert.Equal(0.7, first.StrongWinRate!.Value, 5);
        Assert.Equal(1, first.RouterVersion);
        Assert.Matches("^[0-9a-f]{12}$", first.RouterDigest);
        // The fake upstream reports 5 input and 3 output tokens; the catalogue prices the strong model at $10 / $30 per million.
        Assert.Equal((5L, 3L, (5 * 10m + 3 * 30m) / 1_000_000m), (first.InputTokens!.Value, first.OutputTokens!.Value, first.CostUsd!.Value));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("p=0.7 explain"))), first.PromptHash);
        Assert.Null(first.Prompt);
        Assert.Equal("chatcmpl-fake", first.UpstreamId);
        var second = entries.Single(e => e.Id == weakId);
        Assert.Equal(("weak", WeakModel), (second.Route, second.Model));
        Assert.Equal((5 * 0.5m + 3 * 1.5m) / 1_000_000m, second.CostUsd);
    }

    [Fact]
    public async Task The_prompt_is_logged_only_when_configured()
    {
        await using (var server = await StartAsync(Settings(("RouteLLM:DecisionLog:IncludePrompt", "true"))))
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", "hello there"));
        }

        Assert.Equal("hello there", DecisionLogFiles.ReadDecisions(_log.Path).Items.Single().Prompt);
    }

    [Fact]
    public async Task Shadow_mode_logs_the_routers_decision_but_sends_every_request_to_the_fixed_model()
    {
        await using (var server = await StartAsync(Settings()))
        {
            using var response = await server.PostAsync(Chat("shadow-r-0.5-weak", "p=0.9 hard question"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(WeakModel, response.Headers.GetValues("x-routellm-model").Single());
            Assert.Equal(1, server.Upstream.CallsFor(WeakModel));
            Assert.Equal(0, server.Upstream.CallsFor(StrongModel));
        }

        var entry = DecisionLogFiles.ReadDecisions(_log.Path).Items.Single();
        Assert.Equal(("strong", WeakModel, true, "shadow-r-0.5-weak"), (entry.Route, entry.Model, entry.Shadow, entry.Policy));
    }

    [Fact]
    public async Task Files_rotate_past_their_size_and_every_line_is_kept()
    {
        await using (var server = await StartAsync(Settings(("RouteLLM:DecisionLog:MaxFileBytes", "100"))))
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await server.PostAsync(Chat("router-r-0.5", $"prompt {i}"));
            }
        }

        Assert.Equal(3, Directory.GetFiles(_log.Path, "decisions-*.jsonl").Length);
        Assert.Equal(3, DecisionLogFiles.ReadDecisions(_log.Path).Items.Count);
    }

    [Fact]
    public async Task Feedback_is_stored_beside_the_log_for_a_known_response()
    {
        string id;
        await using (var server = await StartAsync(Settings()))
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", "hello"));
            id = response.Headers.GetValues("x-routellm-response-id").Single();
            using var rating = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = id, ["rating"] = -1 });
            using var preferred = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = "chatcmpl-fake", ["preferred_model"] = StrongModel });
            Assert.Equal(HttpStatusCode.OK, rating.StatusCode);
            Assert.Equal(HttpStatusCode.OK, preferred.StatusCode);
            Assert.Equal(id, (await rating.Content.ReadFromJsonAsync<JsonObject>())!["response_id"]!.GetValue<string>());
        }

        var feedback = DecisionLogFiles.ReadFeedback(_log.Path).Items;
        Assert.Equal([(id, (int?)-1, (string?)null), ("chatcmpl-fake", null, StrongModel)], feedback.Select(f => (f.ResponseId, f.Rating, f.PreferredModel)));
    }

    [Fact]
    public async Task Feedback_ids_written_before_a_restart_are_still_known()
    {
        string id;
        await using (var server = await StartAsync(Settings()))
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", "hello"));
            id = response.Headers.GetValues("x-routellm-response-id").Single();
        }

        await using (var restarted = await StartAsync(Settings()))
        {
            using var rating = await restarted.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = id, ["rating"] = 1 });
            Assert.Equal(HttpStatusCode.OK, rating.StatusCode);
            using var again = await restarted.PostAsync(Chat("router-r-0.5", "hello"));
        }

        // The same router zip, restarted: the same version number and digest, so the report keeps one row for it.
        var entries = DecisionLogFiles.ReadDecisions(_log.Path).Items;
        Assert.Equal(2, entries.Count);
        Assert.Single(entries.Select(e => (e.RouterVersion, e.RouterDigest)).Distinct());
    }

    [Theory]
    [InlineData("""{"rating": 1}""", 400, "response_id")]
    [InlineData("""{"response_id": "", "rating": 1}""", 400, "response_id")]
    [InlineData("""{"response_id": "ID", "rating": 5}""", 400, "rating")]
    [InlineData("""{"response_id": "ID", "rating": "up"}""", 400, "rating")]
    [InlineData("""{"response_id": "ID"}""", 400, "rating")]
    [InlineData("""{"response_id": "ID", "rating": 1, "preferred_model": "x"}""", 400, "preferred_model")]
    [InlineData("""{"response_id": "ID", "preferred_model": "gpt-5"}""", 400, "preferred_model")]
    [InlineData("""{"response_id": "rllm-unknown", "rating": 1}""", 404, "response_id")]
    [InlineData("""[1, 2]""", 400, null)]
    [InlineData("""not json""", 400, null)]
    public async Task Bad_feedback_is_answered_in_OpenAIs_error_shape_naming_the_field(string body, int status, string? param)
    {
        await using var server = await StartAsync(Settings());
        using var routed = await server.PostAsync(Chat("router-r-0.5", "hello"));
        var id = routed.Headers.GetValues("x-routellm-response-id").Single();

        using var response = await server.Client.PostAsync("/v1/feedback", new StringContent(body.Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal(param, error["param"]?.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_log_folder_nothing_is_logged_and_feedback_is_404()
    {
        await using var server = await StartAsync();
        using var routed = await server.PostAsync(Chat("router-r-0.5", "hello"));
        Assert.False(routed.Headers.Contains("x-routellm-response-id"));

        using var response = await server.Client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = "x", ["rating"] = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("feedback_disabled", (await ReadErrorAsync(response))["code"]!.GetValue<string>());
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RouteLLM:DecisionLog:Directory"] = _log.Path,
        };
        foreach (var (key, value) in RoutingServerHarness.Prices(10, 30, 0.5, 1.5).Concat(extra))
        {
            settings[key] = value;
        }

        return settings;
    }
}
