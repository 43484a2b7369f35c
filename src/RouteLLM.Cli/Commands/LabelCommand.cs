using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using RouteLLM.MLNet.Extensions.Labeling;
using RouteLLM.Server;
using RouteLLM.MLNet.Catalogue;
using Spectre.Console;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm label</c>: judged battles on the user's own prompts (docs/OWN_TRAFFIC.md).</summary>
internal static class LabelCommand
{
    private const string JudgeSection = "RouteLLM:Label:Judge";

    public static Command Create()
    {
        var settings = new Option<FileInfo>("--settings")
        {
            Description = "The settings file 'serve' reads: the contestants are RouteLLM:Server:Strong and :Weak, the judge RouteLLM:Label:Judge (BaseUrl, Model, ApiKey), prices the model catalogue (RouteLLM:Models or RouteLLM:Catalogue), as for serve.",
            Required = true,
        };
        var prompts = CliOptions.Prompts(required: true);
        var output = new Option<FileInfo>("--output") { Description = "Battles CSV to write (Chatbot Arena schema, answers included).", Required = true };
        var journal = new Option<FileInfo?>("--journal") { Description = "Journal of finished calls that makes the run resumable (default: OUTPUT.journal.jsonl)." };
        var concurrency = new Option<int>("--concurrency") { Description = "Prompts labeled at once.", DefaultValueFactory = _ => 4 };
        var maxUsd = new Option<decimal?>("--max-usd") { Description = "Stop before the job's cost (journaled calls included) could pass this many USD." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the cost estimate and make no call." };
        var maxAnswerTokens = new Option<int>("--max-answer-tokens") { Description = "max_tokens of each answer.", DefaultValueFactory = _ => 1024 };
        var retries = new Option<int>("--max-retries") { Description = "Retries of a call that failed with 408, 429, 5xx or a lost connection (Retry-After honoured).", DefaultValueFactory = _ => 6 };
        var skipBadRows = CliOptions.SkipBadRows();
        var command = new Command("label", "Ask each model for an answer to every prompt, judge each pair twice (answers swapped) and write Arena-schema battles for 'train --battles'.")
        {
            settings, prompts, output, journal, concurrency, maxUsd, dryRun, maxAnswerTokens, retries, skipBadRows,
        };
        command.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var configuration = RouteLLMServer.CreateBuilder([], result.GetValue(settings)!.FullName).Configuration;
            var texts = CliOptions.ReadPrompts(result.GetValue(prompts)!, CliOptions.ReadOptions(result, skipBadRows));
            var outputPath = result.GetValue(output)!.FullName;
            var options = new LabelingOptions
            {
                JournalPath = result.GetValue(journal)?.FullName ?? outputPath + ".journal.jsonl",
                MaxConcurrency = result.GetValue(concurrency),
                MaxUsd = result.GetValue(maxUsd),
                MaxAnswerTokens = result.GetValue(maxAnswerTokens),
            };
            var server = configuration.GetSection(RouteLLMServerOptions.SectionName).Get<RouteLLMServerOptions>() ?? new RouteLLMServerOptions();
            var judge = configuration.GetSection(JudgeSection).Get<UpstreamOptions>() ?? new UpstreamOptions();
            var models = configuration.GetSection(RouteLLMModelsOptions.SectionName).Get<RouteLLMModelsOptions>() ?? new RouteLLMModelsOptions();
            var catalogue = models.ReadCatalogue() ?? throw new ArgumentException(
                "The models' prices are missing: set RouteLLM:Models (entries as in catalogue.csv) or RouteLLM:Catalogue (a catalogue file).");
            using var http = new HttpClient { Timeout = server.UpstreamTimeout };
            var maxRetries = result.GetValue(retries);
            options.Contestants.Add(Model("RouteLLM:Server:Strong", server.Strong, catalogue, http, maxRetries));
            options.Contestants.Add(Model("RouteLLM:Server:Weak", server.Weak, catalogue, http, maxRetries));
            options.Judge = Model(JudgeSection, judge, catalogue, http, maxRetries);

            if (result.GetValue(dryRun))
            {
                var estimate = LabelingCostEstimate.For(texts, options, TokenCounter.Default, expectedJudgementTokens: 200);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{texts.Count} prompts, {estimate.Calls} calls: about {estimate.InputTokens:N0} input and {estimate.OutputTokens:N0} output tokens, about ${estimate.Usd:F4} (worst case ${estimate.WorstCaseUsd:F4})"));
                return 0;
            }

            var labeler = new BattleLabeler(options);
            LabelingResult labeled = null!;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async context =>
            {
                var task = context.AddTask("labeling", maxValue: labeler.CallsFor(texts.Count));
                var progress = new SyncProgress<LabelingProgress>(p =>
                {
                    task.Value = p.CallsDone;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"labeling: {p.InputTokens:N0} in / {p.OutputTokens:N0} out tokens, ${p.Usd:F4}");
                });
                labeled = await labeler.LabelAsync(texts, progress, cancellationToken);
            });

            LabeledBattleCsv.Write(outputPath, labeled.Battles);
            var totals = labeled.Totals;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{labeled.Battles.Count} battles written to {outputPath}; calls: {labeled.CallsMade} made, {labeled.CallsReused} from the journal; {totals.InputTokens:N0} input and {totals.OutputTokens:N0} output tokens, ${totals.Usd:F4} in all"));
            if (labeled.UnreadableVerdicts > 0)
            {
                Console.Error.WriteLine($"{labeled.UnreadableVerdicts} judgements had no [[A]], [[B]] or [[C]]; their battles are ties.");
            }

            if (labeled.StoppedByBudget)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"stopped: the next call could have passed --max-usd {options.MaxUsd}; rerun with a higher limit to go on."));
                return CommandRunner.Failure;
            }

            if (labeled.PromptsFailed > 0)
            {
                Console.Error.WriteLine($"{labeled.PromptsFailed} prompts failed (first: {labeled.FirstFailure}); rerun to retry them.");
                return CommandRunner.Failure;
            }

            return 0;
        }));
        return command;
    }

    private static LabelingModel Model(string section, UpstreamOptions upstream, ModelCatalogue catalogue, HttpClient http, int maxRetries)
    {
        if (string.IsNullOrWhiteSpace(upstream.BaseUrl) || string.IsNullOrWhiteSpace(upstream.Model))
        {
            throw new ArgumentException($"{section}: BaseUrl and Model are required.");
        }

        var price = catalogue.Find(upstream.Model) ?? throw new ArgumentException(
            $"{section}:Model '{upstream.Model}' is not in the catalogue (RouteLLM:Models or RouteLLM:Catalogue), so it has no price.");
        var client = new RetryingChatClient(new OpenAICompatibleChatClient(upstream.BaseUrl, upstream.Model, upstream.ApiKey, http, leaveOpen: true), maxRetries);
        return new LabelingModel(upstream.Model, client, price);
    }
}
