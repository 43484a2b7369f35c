using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RouteLLM.MLNet.Routers;
using RouteLLM.Testing;
using static RouteLLM.Server.Tests.RoutingServerHarness;

namespace RouteLLM.Server.Tests;

public sealed class RobustnessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static readonly (string Body, int Status, string? Param)[] Malformed =
    [
        ("", 400, null),
        ("{", 400, null),
        ("{\"model\": \"router-r-0.5\", \"messages\": [", 400, null),
        ("\"just a string\"", 400, null),
        ("[1, 2]", 400, null),
        ("null", 400, null),
        ("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": 42, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-r-0.5\"}", 400, "messages"),
        ("{\"model\": \"router-r-0.5\", \"messages\": \"hi\"}", 400, "messages"),
        ("{\"model\": \"router-r-0.5\", \"messages\": []}", 400, "messages"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [\"hi\"]}", 400, "messages[0]"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"content\": \"hi\"}]}", 400, "messages[0].role"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": 1, \"content\": \"hi\"}]}", 400, "messages[0].role"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"user\", \"content\": 7}]}", 400, "messages[0].content"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"user\", \"content\": [\"x\"]}]}", 400, "messages[0].content[0]"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": 5, \"text\": \"hi\"}]}]}", 400, "messages[0].content[0].type"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": 5}]}]}", 400, "messages[0].content[0].text"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"system\", \"content\": [{\"type\": [\"text\"]}]}, {\"role\": \"user\", \"content\": \"hi\"}]}", 400, "messages[0].content[0].type"),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"system\", \"content\": \"no user turn\"}]}", 400, "messages"),
        ("{\"model\": \"router-r-0.5\", \"stream\": \"yes\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "stream"),
        ("{\"model\": \"gpt-4\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 404, "model"),
        ("{\"model\": \"router-r\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-r-abc\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-r-1.5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-r-NaN\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-r@-0.1\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        ("{\"model\": \"router-nope-0.5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 404, "model"),
        ("{\"model\": \"router-plain@0.5\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", 400, "model"),
        (new string('[', 100) + new string(']', 100), 400, null),
        ("{\"model\": \"router-r-0.5\", \"messages\": [{\"role\": \"user\", \"content\": \"" + new string('x', 70_000) + "\"}]}", 413, null),
    ];

    [Fact]
    public async Task A_thousand_malformed_requests_all_get_4xx_JSON_errors_and_the_server_still_answers()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:MaxRequestBodyBytes"] = "65536" });
        var statuses = new ConcurrentBag<int>();
        using var timeout = new CancellationTokenSource(Patience);

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            var (body, status, param) = Malformed[i % Malformed.Length];
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await server.Client.PostAsync("/v1/chat/completions", content, ct);
            Assert.Equal(status, (int)response.StatusCode);
            var error = await ReadErrorAsync(response);
            Assert.Equal(param, error["param"]?.GetValue<string>());
            statuses.Add((int)response.StatusCode);
        });

        Assert.Equal(1000, statuses.Count);
        Assert.All(statuses, s => Assert.InRange(s, 400, 499));
        using var ok = await server.PostAsync(Chat("router-r-0.5", "p=0.9 still there?"), timeout.Token);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal((1, 0), (server.Upstream.CallsFor(StrongModel), server.Upstream.CallsFor(WeakModel)));
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_gets_a_413()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["RouteLLM:Server:MaxRequestBodyBytes"] = "65536" });
        var body = Encoding.UTF8.GetBytes(Chat("router-r-0.5", new string('x', 100_000)).ToJsonString());
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ReadErrorAsync(response))["code"]!.GetValue<string>());
        Assert.Equal(0, server.Upstream.CallsFor(StrongModel) + server.Upstream.CallsFor(WeakModel));
    }

    [Fact]
    public async Task Other_paths_get_OpenAI_shaped_404s_and_other_methods_405s()
    {
        await using var server = await StartAsync();

        using var unknown = await server.Client.GetAsync("/v1/completions");
        using var wrongMethod = await server.Client.DeleteAsync("/v1/models");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_url", (await ReadErrorAsync(unknown))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        await ReadErrorAsync(wrongMethod);
    }

    [Fact]
    public async Task Two_thousand_requests_at_concurrency_64_all_succeed()
    {
        await using var server = await StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        var answered = new ConcurrentDictionary<string, int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            using var response = await server.PostAsync(Chat("router-r-0.5", $"p=0.{i % 10} request {i}", stream: i % 4 == 0), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var model = response.Headers.GetValues(RouteLLMServer.ModelHeader).Single();
            Assert.Equal(i % 10 >= 5 ? StrongModel : WeakModel, model);
            Assert.Contains(model, await response.Content.ReadAsStringAsync(ct));
            answered.AddOrUpdate(model, 1, (_, n) => n + 1);
        });

        Assert.Equal(1000, answered[StrongModel]);
        Assert.Equal(1000, answered[WeakModel]);
    }

    [Fact]
    public async Task Replacing_the_router_zip_under_load_fails_no_request_and_later_requests_use_the_new_router()
    {
        await using var server = await StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Routers.Reloaded += (_, e) =>
        {
            if (e.Router is { Version: 2 })
            {
                swapped.TrySetResult();
            }
        };
        var completed = 0;
        var routes = new ConcurrentBag<(bool StartedAfterSwap, string Route)>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = timeout.Token }, async (i, ct) =>
        {
            if (i == 500)
            {
                // Prompts without a p= prefix score 0.2 (weak) under the old router and 0.9 (strong) under the new one.
                RouterZip.Save(ScriptedRouterModel.Create(0.9f), server.RouterPath);
            }

            if (i >= 1500)
            {
                await swapped.Task.WaitAsync(ct);
            }

            var startedAfterSwap = swapped.Task.IsCompleted;
            using var response = await server.PostAsync(Chat("router-r-0.5", $"request {i}"), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            routes.Add((startedAfterSwap, response.Headers.GetValues(RouteLLMServer.RouteHeader).Single()));
            Interlocked.Increment(ref completed);
        });

        Assert.Equal(2000, completed);
        Assert.Equal(2, server.Routers.Get("r").Version);
        Assert.All(routes.Where(r => r.StartedAfterSwap), r => Assert.Equal("strong", r.Route));
        Assert.True(routes.Count(r => r.StartedAfterSwap) >= 500);
        Assert.Contains(routes, r => r.Route == "weak");
    }
}
