using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RouteLLM.FakeUpstream;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class ChatCompletionsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("router-r-0.5", "p=0.7 prove Fermat", StrongModel, "strong", "0.7", "0.5")]
    [InlineData("router-r-0.5", "p=0.5 exactly at the threshold", StrongModel, "strong", "0.5", "0.5")]
    [InlineData("router-r-0.5", "p=0.49 just under", WeakModel, "weak", "0.49", "0.5")]
    [InlineData("router-r-0.11593", "hello there", StrongModel, "strong", "0.2", "0.11593")]
    [InlineData("router-r-1", "p=0.99 hard", WeakModel, "weak", "0.99", "1")]
    [InlineData("router-plain-0", "p=0 trivial", StrongModel, "strong", "0", "0")]
    // Calibration prompts score 0.01..0.10: a 30% share puts the threshold at 0.073.
    [InlineData("router-r@0.3", "p=0.08 like the top 30%", StrongModel, "strong", "0.08", "0.073")]
    [InlineData("router-r@0.3", "p=0.07 below them", WeakModel, "weak", "0.07", "0.073")]
    public async Task Routing_follows_the_threshold_and_the_answer_names_the_model_that_answered(
        string model, string prompt, string answeredBy, string route, string winRate, string threshold)
    {
        await using var server = await StartAsync();

        using var response = await server.PostAsync(Chat(model, prompt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(answeredBy, body["model"]!.GetValue<string>());
        Assert.Equal("answered by " + answeredBy, body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(8, body["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal(answeredBy, Header(response, RouteLLMServer.ModelHeader));
        Assert.Equal(route, Header(response, RouteLLMServer.RouteHeader));
        Assert.Equal(winRate, Header(response, RouteLLMServer.StrongWinRateHeader));
        Assert.Equal(threshold, Header(response, RouteLLMServer.ThresholdHeader));
        Assert.Equal(1, server.Upstream.CallsFor(answeredBy));
    }

    [Fact]
    public async Task Streaming_passes_each_chunk_through_as_the_upstream_sends_it()
    {
        await using var server = await StartAsync();
        using var gate = new SemaphoreSlim(0);
        server.Upstream.ChunkGate = gate;
        using var timeout = new CancellationTokenSource(Patience);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat("router-r-0.5", "p=0.9 stream it", stream: true)) };

        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("strong", Header(response, RouteLLMServer.RouteHeader));
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        // Each chunk after the first is held by the upstream until released: a chunk read here before its release
        // would be impossible, and a server that buffered the stream would never deliver the first one.
        for (var i = 0; i < 3; i++)
        {
            var chunk = await NextDataAsync(events, timeout.Token);
            Assert.Equal(StrongModel, chunk["model"]!.GetValue<string>());
            Assert.Equal($"chunk {i} by {StrongModel}", chunk["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
            gate.Release();
        }

        Assert.Equal("data: [DONE]", await NextLineAsync(events, timeout.Token));
        Assert.Null(await NextLineAsync(events, timeout.Token));
    }

    [Theory]
    [InlineData(UpstreamBehaviour.Fail500, false)]
    [InlineData(UpstreamBehaviour.Stall, true)]
    public async Task A_failing_upstream_fails_over_to_the_other_model_when_configured(UpstreamBehaviour behaviour, bool stream)
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" });
        server.Upstream.Behave(StrongModel, behaviour);

        using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.9 important", stream));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("strong", Header(response, RouteLLMServer.RouteHeader));
        Assert.Equal(WeakModel, Header(response, RouteLLMServer.ModelHeader));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(stream ? $"chunk 0 by {WeakModel}" : $"answered by {WeakModel}", text);
        Assert.Equal((1, 1), (server.Upstream.CallsFor(StrongModel), server.Upstream.CallsFor(WeakModel)));
    }

    [Theory]
    [InlineData(UpstreamBehaviour.Fail500, "upstream_error", "returned 500")]
    [InlineData(UpstreamBehaviour.Stall, "upstream_timeout", "no response within 2 s")]
    public async Task A_failing_upstream_is_a_502_without_failover(UpstreamBehaviour behaviour, string code, string reason)
    {
        await using var server = await StartAsync();
        server.Upstream.Behave(WeakModel, behaviour);

        using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.1 easy"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Contains(reason, error["message"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel));
    }

    [Fact]
    public async Task When_both_upstreams_fail_the_502_says_what_happened_to_each()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" });
        server.Upstream.Behave(StrongModel, UpstreamBehaviour.Fail500);
        server.Upstream.Behave(WeakModel, UpstreamBehaviour.Stall);

        using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = (await ReadErrorAsync(response))["message"]!.GetValue<string>();
        Assert.Contains("'strong' (gpt-4-1106-preview) failed: returned 500", message);
        Assert.Contains("failover to 'weak' (mixtral-8x7b-instruct-v0.1) failed: no response within 2 s", message);
    }

    [Fact]
    public async Task A_stream_that_stalls_midway_ends_with_an_error_event_instead_of_hanging()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" });
        server.Upstream.Behave(WeakModel, UpstreamBehaviour.StallMidStream);
        using var timeout = new CancellationTokenSource(Patience);

        using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.1 x", stream: true), timeout.Token);
        var lines = (await response.Content.ReadAsStringAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, lines.Length);
        Assert.Contains($"chunk 0 by {WeakModel}", lines[0]);
        var error = JsonNode.Parse(lines[1]["data: ".Length..])!["error"]!;
        Assert.Equal("upstream_stream_error", error["code"]!.GetValue<string>());
        Assert.Contains("sent nothing for 1 s", error["message"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static async Task<JsonNode> NextDataAsync(StreamReader events, CancellationToken cancellationToken)
    {
        var line = await NextLineAsync(events, cancellationToken);
        Assert.StartsWith("data: {", line);
        return JsonNode.Parse(line!["data: ".Length..])!;
    }

    private static async Task<string?> NextLineAsync(StreamReader events, CancellationToken cancellationToken)
    {
        string? line;
        do
        {
            line = await events.ReadLineAsync(cancellationToken);
        }
        while (line is { Length: 0 });
        return line;
    }
}
