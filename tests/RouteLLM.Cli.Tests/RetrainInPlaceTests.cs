using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using RouteLLM.FakeUpstream;
using RouteLLM.Testing;

namespace RouteLLM.Cli.Tests;

/// <summary>
/// docs/OWN_TRAFFIC.md "Retrain in place", as a user runs it: <c>routellm serve</c> with the decision log on, requests,
/// <c>routellm train --output</c> onto the zip being served, the hot reload, more requests, <c>routellm report</c>.
/// All processes are the real routellm; the upstream is a fake on 127.0.0.1.
/// </summary>
public sealed class RetrainInPlaceTests : IDisposable
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mixtral-8x7b-instruct-v0.1";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Training_onto_the_served_zip_is_picked_up_and_the_report_splits_requests_by_router_version()
    {
        var served = Directory.CreateDirectory(_directory.File("served")).FullName;
        var zip = Path.Combine(served, "router.zip");
        var log = _directory.File("log");
        var battles = _directory.File("battles.csv");
        await File.WriteAllTextAsync(battles,
            "model_a,model_b,prompt,winner_model_a,winner_model_b,winner_tie\n" +
            $"{Strong},{Weak},\"[\"\"prove it\"\"]\",1,0,0\n" +
            $"{Strong},{Weak},\"[\"\"say hi\"\"]\",0,1,0\n");
        await TrainAsync("--battles", battles, "--output", zip, "--seed", "1");
        var firstZip = await File.ReadAllBytesAsync(zip);

        await using var upstream = await FakeUpstreamServer.StartAsync();
        var url = $"http://127.0.0.1:{FreePort()}";
        var settings = _directory.File("routellm.json");
        await File.WriteAllTextAsync(settings, Settings(zip, log, upstream.BaseUrl).ToJsonString());
        var output = new StringBuilder();
        using var serve = Routellm.Start("serve", "--settings", settings, "--urls", url);
        serve.OutputDataReceived += (_, e) => Append(output, e.Data);
        serve.ErrorDataReceived += (_, e) => Append(output, e.Data);
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForRouterVersionAsync(client, serve, output, 1);
            var firstIds = await SendAsync(client, "before", 3);
            using (var thumbsDown = await client.PostAsJsonAsync("/v1/feedback", new JsonObject { ["response_id"] = firstIds[0], ["rating"] = -1 }))
            {
                Assert.Equal(HttpStatusCode.OK, thumbsDown.StatusCode);
            }

            // Retrained on the server's own traffic, onto the zip it serves: written to a temporary file, then moved.
            var retrain = await TrainAsync("--battles", battles, "--decision-log", log, "--output", zip, "--seed", "2");
            Assert.Contains("1 battles from feedback", retrain);
            Assert.Equal([zip], Directory.GetFiles(served));
            Assert.NotEqual(firstZip, await File.ReadAllBytesAsync(zip));

            await WaitForRouterVersionAsync(client, serve, output, 2);
            await SendAsync(client, "after", 5);
            await WaitForDecisionsAsync(log, 8);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        var json = _directory.File("report.json");
        var (exit, _, stderr) = await Routellm.RunAsync("report", "--log", log, "--json", json);
        Assert.True(exit == 0, stderr);
        var rows = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsArray();
        Assert.Equal(
            [("router-r-0.5", 1, 3), ("router-r-0.5", 2, 5)],
            rows.Select(r => (r!["policy"]!.GetValue<string>(), r["router_version"]!.GetValue<int>(), r["requests"]!.GetValue<int>())));
        // The zips' digests tell the two routers apart even where version numbers would not (after a restart).
        var digests = rows.Select(r => r!["router_digest"]!.GetValue<string>()).ToList();
        Assert.All(digests, d => Assert.Matches("^[0-9a-f]{12}$", d));
        Assert.NotEqual(digests[0], digests[1]);
        // Every request was priced (5 input and 3 output tokens from the fake upstream), so each version's spend is its own.
        Assert.All(rows, r => Assert.Equal(0, r!["unpriced_requests"]!.GetValue<int>()));
    }

    private static async Task<string> TrainAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Routellm.RunAsync(["train", "random", .. args]);
        Assert.True(exit == 0, stderr);
        return stdout;
    }

    private static async Task<List<string>> SendAsync(HttpClient client, string prefix, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var body = new JsonObject
            {
                ["model"] = "router-r-0.5",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"{prefix} question {i}" }),
            };
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("x-routellm-response-id").Single());
        }

        return ids;
    }

    // Polls /health until the router serves the version (bounded: a minute), failing early if serve exits.
    private static async Task WaitForRouterVersionAsync(HttpClient client, Process serve, StringBuilder output, int version)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline && !serve.HasExited)
        {
            try
            {
                var health = await client.GetFromJsonAsync<JsonObject>("/health");
                if (health!["routers"]![0]!["version"]!.GetValue<int>() == version)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"router version {version} was not served within a minute; serve said:\n{Output(output)}");
    }

    // The log is written off the request path: wait (bounded) until every request's line is on disk.
    private static async Task WaitForDecisionsAsync(string log, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.GetFiles(log, "decisions-*.jsonl").Sum(f => File.ReadAllLines(f).Length) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} decisions were logged within 30 s");
            await Task.Delay(100);
        }
    }

    private static JsonObject Settings(string zip, string log, string upstream) => new()
    {
        ["RouteLLM"] = new JsonObject
        {
            ["Routers"] = new JsonObject { ["r"] = new JsonObject { ["Path"] = zip } },
            ["ReloadDelay"] = "00:00:00.2",
            ["Server"] = new JsonObject
            {
                ["Strong"] = new JsonObject { ["BaseUrl"] = upstream, ["Model"] = Strong, ["ApiKey"] = "sk-strong" },
                ["Weak"] = new JsonObject { ["BaseUrl"] = upstream, ["Model"] = Weak, ["ApiKey"] = "sk-weak" },
            },
            ["DecisionLog"] = new JsonObject { ["Directory"] = log, ["IncludePrompt"] = true },
            ["Models"] = new JsonArray(
                new JsonObject { ["Model"] = Strong, ["InputUsdPerMTok"] = 10, ["OutputUsdPerMTok"] = 30, ["AvgOutputChars"] = 2049 },
                new JsonObject { ["Model"] = Weak, ["InputUsdPerMTok"] = 0.6, ["OutputUsdPerMTok"] = 0.6, ["AvgOutputChars"] = 1465 }),
        },
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Output(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
