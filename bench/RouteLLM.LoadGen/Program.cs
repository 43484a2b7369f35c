using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using RouteLLM.LoadGen;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;

// loadgen random-router OUT.zip
//   writes RouteLLM's random router (the benchmark's router until `routellm train random` exists).
// loadgen run BASE_URL MODEL REQUESTS CONCURRENCY [stream] [LABEL]
//   sends REQUESTS chat completions to BASE_URL/chat/completions (after 10% warm-up) and prints one JSON line.
switch (args)
{
    case ["random-router", var output]:
        var ml = new MLContext(seed: 1);
        Battle[] battles = [new("What is 2+2?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins)];
        RouterZip.Save(ml.Routing().Trainers.Random().Fit(ml.Routing().LoadBattles(battles)).Model, output);
        Console.WriteLine($"wrote {Path.GetFullPath(output)}");
        return 0;
    case ["run", var baseUrl, var model, var requestsText, var concurrencyText, .. var rest]:
        var requests = int.Parse(requestsText, CultureInfo.InvariantCulture);
        var concurrency = int.Parse(concurrencyText, CultureInfo.InvariantCulture);
        var stream = rest.Contains("stream");
        var label = rest.FirstOrDefault(r => r != "stream") ?? model;
        var completions = new Uri(baseUrl.TrimEnd('/') + "/chat/completions");
        var result = await new LoadRun(completions, model, concurrency, stream).RunAsync(requests, Math.Max(concurrency, requests / 10), CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            label,
            url = completions,
            model,
            stream,
            requests = result.Requests,
            concurrency = result.Concurrency,
            failures = result.Failures,
            seconds = Math.Round(result.Seconds, 3),
            requests_per_s = Math.Round(result.RequestsPerSecond, 1),
            p50_ms = Math.Round(result.P50Ms, 3),
            p90_ms = Math.Round(result.P90Ms, 3),
            p99_ms = Math.Round(result.P99Ms, 3),
        }));
        return result.Failures == 0 ? 0 : 1;
    default:
        Console.Error.WriteLine("usage: loadgen random-router OUT.zip | loadgen run BASE_URL MODEL REQUESTS CONCURRENCY [stream] [LABEL]");
        return 2;
}
