using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RouteLLM.Server;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm serve</c>: the OpenAI-compatible routing server (docs/SERVING.md).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var settings = new Option<FileInfo?>("--settings")
        {
            Description = "JSON settings file with a RouteLLM section (routers, upstreams, keys, limits); the environment overrides it, e.g. RouteLLM__Server__Strong__ApiKey.",
        };
        var routers = new Option<string[]>("--router")
        {
            Description = "A router to serve, as NAME=ZIP (repeatable); adds to the settings file's RouteLLM:Routers.",
        };
        var catalogue = new Option<FileInfo?>("--catalogue")
        {
            Description = "Prices of the models of RouteLLM:Server:Upstreams: a catalogue.csv (model, aliases, input_usd_per_mtok, output_usd_per_mtok, avg_output_chars) or a JSON file with a Models array.",
        };
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {RouteLLMServer.DefaultUrl}: loopback only)." };
        var allowAnonymous = new Option<bool>("--allow-anonymous")
        {
            Description = "Serve beyond loopback without client keys (RouteLLM:Server:ApiKeys), so that anyone who reaches the server spends the upstream keys; logged as a warning.",
        };
        var command = new Command("serve", "Serve /v1/chat/completions, routing each request to the strong or the weak upstream. Other ASP.NET settings may follow as --Key=Value.")
        {
            settings, routers, urls, catalogue, allowAnonymous,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var args = new List<string>(result.UnmatchedTokens);
            foreach (var router in result.GetValue(routers) ?? [])
            {
                var (name, path) = router.Split('=', 2) is [var n, var p] && n.Length > 0 && p.Length > 0
                    ? (n, p)
                    : throw new ArgumentException($"--router '{router}' is not NAME=ZIP.");
                args.Add($"--RouteLLM:Routers:{name}:Path={Path.GetFullPath(path)}");
            }

            if (result.GetValue(catalogue) is { } prices)
            {
                args.Add($"--RouteLLM:Catalogue={prices.FullName}");
            }

            if (result.GetValue(urls) is { } listen)
            {
                args.Add($"--urls={listen}");
            }

            if (result.GetValue(allowAnonymous))
            {
                args.Add("--RouteLLM:Server:Limits:AllowAnonymous=true");
            }

            var builder = RouteLLMServer.CreateBuilder([.. args], result.GetValue(settings)?.FullName);
            WebApplication app;
            try
            {
                app = RouteLLMServer.Build(builder);
            }
            catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
            {
                // A setting or a router zip is wrong: say which, without a stack trace.
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }

            await using var running = app;
            await running.StartAsync(cancellationToken);
            await running.WaitForShutdownAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}
