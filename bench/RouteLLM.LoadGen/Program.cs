using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using RouteLLM.LoadGen;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;

// loadgen random-router OUT.zip
//   writes RouteLLM's random router (the benchmark's router until `routellm train random` exists).
// loadgen run BASE_URL MODEL REQUESTS CONCURRENCY [stream] [prompts=FILE] [cpu=PID] [warmup=N] [LABEL]
//   sends REQUESTS chat completions to BASE_URL/chat/completions (after N, default 10%, warm-up ones) and prints one
//   JSON line, with the failures of both and the sum of the costs the server reported (cost_usd). The
//   prompts are FILE's (any file PromptFile reads, taken in turn), else one short sentence numbered per request.
//   With cpu=PID, also the CPU time that process (the server) spent per measured request.
switch (args)
{
    case ["random-router", var output]:
        var ml = new MLContext(seed: 1);
        Battle[] battles = [new("What is 2+2?", "gpt-4-1106-preview", "mixtral-8x7b-instruct-v0.1", BattleOutcome.ModelAWins)];
        RouterZip.Save(ml.Routing().Trainers.Random().Fit(ml.Routing().LoadBattles(battles)).Model, output);
        Console.WriteLine($"wrote {Path.GetFullPath(output)}");
        return 0;
    case ["run", var baseUrl, var model, var requestsText, var concurrencyText, .. var rest]:
    {
        var requests = int.Parse(requestsText, CultureInfo.InvariantCulture);
        var concurrency = int.Parse(concurrencyText, CultureInfo.InvariantCulture);
        var stream = rest.Contains("stream");
        var promptFile = rest.FirstOrDefault(r => r.StartsWith("prompts=", StringComparison.Ordinal))?["prompts=".Length..];
        var serverPid = rest.FirstOrDefault(r => r.StartsWith("cpu=", StringComparison.Ordinal))?["cpu=".Length..];
        var warmupText = rest.FirstOrDefault(r => r.StartsWith("warmup=", StringComparison.Ordinal))?["warmup=".Length..];
        var label = rest.FirstOrDefault(r => r != "stream" && !r.Contains('=')) ?? model;
        var prompts = promptFile is null ? null : PromptFile.Read(promptFile).Items;
        var completions = new Uri(baseUrl.TrimEnd('/') + "/chat/completions");
        var run = new LoadRun(completions, model, concurrency, stream,
            prompts is null ? i => $"Prompt {i}: explain the difference between a process and a thread." : i => prompts[i % prompts.Count]);
        using var server = serverPid is null ? null : Process.GetProcessById(int.Parse(serverPid, CultureInfo.InvariantCulture));
        var warmup = warmupText is null ? Math.Max(concurrency, requests / 10) : int.Parse(warmupText, CultureInfo.InvariantCulture);
        var result = await run.RunAsync(requests, warmup, server, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            label,
            url = completions,
            model,
            stream,
            prompts = promptFile ?? "numbered sentence",
            requests = result.Requests,
            concurrency = result.Concurrency,
            failures = result.Failures,
            warmup_failures = result.WarmupFailures,
            seconds = Math.Round(result.Seconds, 3),
            requests_per_s = Math.Round(result.RequestsPerSecond, 1),
            p50_ms = Math.Round(result.P50Ms, 3),
            p90_ms = Math.Round(result.P90Ms, 3),
            p99_ms = Math.Round(result.P99Ms, 3),
            server_cpu_ms_per_request = result.ServerCpuMsPerRequest is { } cpu ? Math.Round(cpu, 3) : (double?)null,
            cost_usd = result.CostUsd,
        }));
        return result.Failures + result.WarmupFailures == 0 ? 0 : 1;
    }

    default:
        Console.Error.WriteLine("usage: loadgen random-router OUT.zip | loadgen run BASE_URL MODEL REQUESTS CONCURRENCY [stream] [prompts=FILE] [cpu=PID] [warmup=N] [LABEL]");
        return 2;
}
