using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RouteLLM.FakeUpstream;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

/// <summary>Regression tests for the defects of issue 15 (bad text, CSRF and DNS rebinding, upstream 429, streams, echoes, error shapes).</summary>
public sealed class HardeningTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<byte[], string> NotText => new()
    {
        { Body("\"router-r-0.5\xFF\"", "\"hi\""), "model" },
        { Body("\"router-r-0.5\"", "\"\\ud800 lone\""), "messages[0].content" },
        { Body("\"router-r-0.5\"", "\"\\udc00\\ud800\""), "messages[0].content" },
        { Body("\"router-r-0.5\"", "\"bad \xC3\x28 byte\""), "messages[0].content" },
        { Body("\"router-r-0.5\"", "[{\"type\": \"text\", \"text\": \"\\ud83d\"}]"), "messages[0].content[0].text" },
        { Body("\"\\ud800\"", "\"hi\""), "model" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task Text_that_is_not_UTF8_or_holds_a_lone_surrogate_is_a_400_naming_the_field_and_logs_no_stack_trace(byte[] body, string param)
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(logs: logs);

        using var response = await PostBytesAsync(server, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal("invalid_encoding", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel) + server.Upstream.CallsFor(WeakModel));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_not_sent_as_JSON_is_a_415_so_that_a_web_page_cannot_post_one(string? contentType)
    {
        await using var server = await StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Chat("router-r-0.5", "p=0.9 spend it").ToJsonString()));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        using var response = await server.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await ReadErrorAsync(response))["code"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel));
    }

    [Fact]
    public async Task On_loopback_only_loopback_host_names_are_answered_unless_others_are_configured()
    {
        await using var server = await StartAsync();
        var port = new Uri(server.App.Urls.First()).Port;

        using var rebound = await SendWithHostAsync(server, "attacker.example");
        using var localhost = await SendWithHostAsync(server, $"localhost:{port}");
        using var health = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { Host = "attacker.example" } });

        Assert.Equal(HttpStatusCode.BadRequest, rebound.StatusCode);
        Assert.Equal("host_not_allowed", (await ReadErrorAsync(rebound))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, localhost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(1, server.Upstream.CallsFor(StrongModel));

        await using var configured = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Limits:AllowedHosts:0"] = "*.example.org" });
        using var allowed = await SendWithHostAsync(configured, "api.example.org");
        using var loopbackNoLongerAllowed = await SendWithHostAsync(configured, "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, loopbackNoLongerAllowed.StatusCode);
    }

    [Fact]
    public async Task An_upstream_429_is_passed_on_with_its_Retry_After_or_failed_over()
    {
        await using var server = await StartAsync();
        server.Upstream.Behave(StrongModel, UpstreamBehaviour.RateLimited);

        using var limited = await server.PostAsync(Chat("router-r-0.5", "p=0.9 x"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        var error = await ReadErrorAsync(limited);
        Assert.Equal("upstream_rate_limited", error["code"]!.GetValue<string>());
        Assert.Contains("returned 429", error["message"]!.GetValue<string>());

        await using var failingOver = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:Failover"] = "true" });
        failingOver.Upstream.Behave(StrongModel, UpstreamBehaviour.RateLimited);
        using var answered = await failingOver.PostAsync(Chat("router-r-0.5", "p=0.9 x"));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(WeakModel, answered.Headers.GetValues(RouteLLMServer.ModelHeader).Single());
    }

    [Fact]
    public async Task A_stream_that_ends_without_DONE_ends_with_an_error_event()
    {
        await using var server = await StartAsync();
        server.Upstream.Behave(WeakModel, UpstreamBehaviour.EndStreamWithoutDone);
        using var timeout = new CancellationTokenSource(Patience);

        using var response = await server.PostAsync(Chat("router-r-0.5", "p=0.1 x", stream: true), timeout.Token);
        var lines = (await response.Content.ReadAsStringAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], line => Assert.Contains($"by {WeakModel}", line));
        var error = JsonNode.Parse(lines[3]["data: ".Length..])!["error"]!;
        Assert.Equal("upstream_stream_error", error["code"]!.GetValue<string>());
        Assert.Contains("without data: [DONE]", error["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("router-x")]
    [InlineData("router-")]
    public async Task An_error_quotes_a_megabyte_model_name_by_a_short_prefix(string start)
    {
        await using var server = await StartAsync();
        var model = start + new string('9', 1_000_000);

        using var response = await server.PostAsync(Chat(model, "hi"));

        Assert.InRange((int)response.StatusCode, 400, 404);
        var body = await response.Content.ReadAsStringAsync();
        Assert.InRange(body.Length, 1, 1_000);
        Assert.Contains("(1000", body);
    }

    [Fact]
    public async Task Every_error_status_has_OpenAIs_shape_and_HEAD_health_answers()
    {
        await using var server = await StartAsync();

        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health"));
        using var fileLike = await server.Client.GetAsync("/x.json");
        using var fileLikeHead = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/x.json"));
        using var wrongMethod = await server.Client.GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fileLike.StatusCode);
        Assert.Equal("unknown_url", (await ReadErrorAsync(fileLike))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, fileLikeHead.StatusCode);
        Assert.Equal("application/json", fileLikeHead.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("method_not_allowed", (await ReadErrorAsync(wrongMethod))["code"]!.GetValue<string>());
    }

    internal static byte[] Body(string model, string content)
    {
        // Each char is one byte, so that "\xFF" in a test's source is the raw byte 0xFF, as a client might send it.
        var text = $"{{\"model\": {model}, \"messages\": [{{\"role\": \"user\", \"content\": {content}}}]}}";
        return [.. text.Select(c => checked((byte)c))];
    }

    internal static async Task<HttpResponseMessage> PostBytesAsync(RoutingServerHarness server, byte[] body, string? contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        return await server.Client.PostAsync("/v1/chat/completions", content);
    }

    private static Task<HttpResponseMessage> SendWithHostAsync(RoutingServerHarness server, string host) =>
        server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Headers = { Host = host },
            Content = JsonContent.Create(Chat("router-r-0.5", "p=0.9 x")),
        });
}
