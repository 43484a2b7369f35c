using RouteLLM.FakeUpstream;

// dotnet run --project tests/RouteLLM.FakeUpstream -- [URL]: serves until Ctrl+C or SIGTERM (the serving benchmark's upstream).
await using var upstream = await FakeUpstreamServer.StartAsync(args.Length > 0 ? args[0] : "http://127.0.0.1:9100");
Console.WriteLine($"Fake upstream listening on {upstream.BaseUrl}");
await upstream.WaitForShutdownAsync();
