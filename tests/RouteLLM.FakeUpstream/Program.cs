using RouteLLM.FakeUpstream;

// dotnet run --project tests/RouteLLM.FakeUpstream -- [URL]: serves until Ctrl+C (the serving benchmark's upstream).
var url = args.Length > 0 ? args[0] : "http://127.0.0.1:9100";
await using var upstream = await FakeUpstreamServer.StartAsync(url);
Console.WriteLine($"Fake upstream listening on {upstream.BaseUrl}");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
await stop.Task;
