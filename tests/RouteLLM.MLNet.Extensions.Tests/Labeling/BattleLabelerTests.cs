using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Extensions.Labeling;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests.Labeling;

public sealed class BattleLabelerTests : IAsyncLifetime, IDisposable
{
    private const string Strong = "strong-model";
    private const string Weak = "weak-model";
    private const string JudgeName = "judge-model";
    // Typical answers: 40 characters (10 tokens) for the strong model, 80 (20 tokens) for the weak one.
    private static readonly CatalogueModel StrongPrice = Price(Strong, 10, 30, avgOutputChars: 40);
    private static readonly CatalogueModel WeakPrice = Price(Weak, 0.5, 1.5, avgOutputChars: 80);
    private static readonly CatalogueModel JudgePrice = Price(JudgeName, 10, 30, avgOutputChars: 400);

    private readonly TemporaryDirectory _directory = new();
    private readonly HttpClient _http = new();
    private FakeLabelingServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeLabelingServer.StartAsync(JudgeName, preferredModel: Strong);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_judge_is_asked_twice_and_a_position_biased_pair_of_verdicts_is_a_tie()
    {
        string[] prompts = ["What is 2+2?", $"Tell a joke {FakeLabelingServer.PositionBiasMarker}"];
        var result = await new BattleLabeler(Options()).LabelAsync(prompts);

        Assert.Equal(2, result.Battles.Count);
        Assert.Equal(BattleOutcome.ModelAWins, result.Battles[0].Outcome);
        Assert.Equal(BattleOutcome.Tie, result.Battles[1].Outcome);
        Assert.Equal($"{Strong} answers: What is 2+2?", result.Battles[0].AnswerA);
        Assert.Equal(8, _server.AnsweredCalls);
        Assert.Equal(8, result.CallsMade);
        Assert.Empty(_server.RepeatedCalls());
    }

    [Fact]
    public async Task A_rerun_reads_every_call_from_the_journal_and_asks_nothing()
    {
        string[] prompts = ["one", "two", "three"];
        var first = await new BattleLabeler(Options()).LabelAsync(prompts);
        var second = await new BattleLabeler(Options()).LabelAsync(prompts);

        Assert.Equal(12, _server.AnsweredCalls);
        Assert.Equal(0, second.CallsMade);
        Assert.Equal(12, second.CallsReused);
        Assert.Equal(first.Battles, second.Battles);
        Assert.Equal(first.Totals, second.Totals);
    }

    [Fact]
    public async Task A_line_torn_by_a_kill_is_cut_off_and_only_that_call_is_asked_again()
    {
        string[] prompts = ["one"];
        var options = Options();
        await new BattleLabeler(options).LabelAsync(prompts);
        var lines = await File.ReadAllLinesAsync(options.JournalPath);
        var torn = string.Join("\n", lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)];
        await File.WriteAllTextAsync(options.JournalPath, torn);

        var resumed = await new BattleLabeler(Options()).LabelAsync(prompts);

        Assert.Equal(1, resumed.CallsMade);
        Assert.Equal(5, _server.AnsweredCalls);
        Assert.Equal(lines, await File.ReadAllLinesAsync(options.JournalPath));
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says_even_when_the_backoff_would_be_far_longer()
    {
        _server.RetryAfterSeconds = 1;
        _server.Throttle(1);
        using var client = new RetryingChatClient(new OpenAICompatibleChatClient(_server.BaseUrl, Weak, httpClient: _http, leaveOpen: true),
            maxRetries: 3, firstBackoff: TimeSpan.FromHours(1));

        var response = await client.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "hello")]).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal($"{Weak} answers: hello", response.Text);
        var requests = _server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.99), $"retried after {requests[1].At - requests[0].At}");
        Assert.Equal(1, client.Retries);
    }

    [Fact]
    public async Task A_429_past_the_last_retry_fails_the_prompt_and_a_rerun_finishes_it()
    {
        _server.RetryAfterSeconds = 0;
        _server.Throttle(2);
        var options = Options(maxRetries: 1);
        var failed = await new BattleLabeler(options).LabelAsync(["one"]);
        Assert.Equal(1, failed.PromptsFailed);
        Assert.Contains("429", failed.FirstFailure);
        Assert.Empty(failed.Battles);

        var rerun = await new BattleLabeler(Options()).LabelAsync(["one"]);
        Assert.Single(rerun.Battles);
        Assert.Empty(_server.RepeatedCalls());
    }

    [Fact]
    public async Task Max_usd_stops_before_the_limit_is_passed_counting_what_the_journal_already_spent()
    {
        string[] prompts = [.. Enumerable.Range(0, 20).Select(i => $"prompt number {i}")];
        var all = await new BattleLabeler(Options(journal: "all.jsonl")).LabelAsync(prompts);
        var limit = all.Totals.Usd / 3;

        var capped = await new BattleLabeler(Options(maxUsd: limit)).LabelAsync(prompts);

        Assert.True(capped.StoppedByBudget);
        Assert.True(capped.Totals.Usd <= limit, $"spent {capped.Totals.Usd} of {limit}");
        Assert.True(capped.Battles.Count < prompts.Length);
        Assert.NotEmpty(capped.Battles);

        // The same limit again: what the journal holds already counts, so the job as a whole still stays under it.
        var again = await new BattleLabeler(Options(maxUsd: limit)).LabelAsync(prompts);
        Assert.True(again.StoppedByBudget);
        Assert.True(again.Totals.Usd <= limit, $"spent {again.Totals.Usd} of {limit}");
        Assert.True(again.Totals.Usd >= capped.Totals.Usd);
    }

    [Fact]
    public async Task Battles_written_as_csv_are_read_back_by_the_arena_reader()
    {
        string[] prompts = ["Say \"hi\", then\nstop", $"x {FakeLabelingServer.PositionBiasMarker}"];
        var result = await new BattleLabeler(Options()).LabelAsync(prompts);
        var path = _directory.File("battles.csv");
        LabeledBattleCsv.Write(path, result.Battles);

        var read = ArenaBattles.Read(path);

        Assert.Equal(
            [new Battle("Say \"hi\", then\nstop", Strong, Weak, BattleOutcome.ModelAWins), new Battle($"x {FakeLabelingServer.PositionBiasMarker}", Strong, Weak, BattleOutcome.Tie)],
            read.Items);
    }

    [Fact]
    public void The_dry_run_estimate_counts_every_call_and_bounds_the_worst_case()
    {
        var options = Options(maxAnswerTokens: 100);
        var estimate = LabelingCostEstimate.For(["abcd"], options, TokenCounter.Default, expectedJudgementTokens: 5);

        Assert.Equal(4, estimate.Calls);
        // Output: each contestant's typical answer from the catalogue (10 and 20 tokens), then two judgements of 5.
        Assert.Equal(10 + 20 + (2 * 5), estimate.OutputTokens);
        var promptTokens = TokenCounter.Default.Count("abcd") + 8; // 8 tokens of message framing
        var answers = options.Contestants[0].Cost(promptTokens, 10) + options.Contestants[1].Cost(promptTokens, 20);
        Assert.True(estimate.Usd > answers);
        Assert.True(estimate.WorstCaseUsd > estimate.Usd);
    }

    [Theory]
    [InlineData("A is better. [[A]]", JudgeVerdict.A)]
    [InlineData("[[B]]", JudgeVerdict.B)]
    [InlineData("a tie: [[C]]", JudgeVerdict.Tie)]
    [InlineData("I cannot decide", null)]
    public void The_verdict_is_read_as_MT_Bench_reads_it(string judgement, JudgeVerdict? verdict) =>
        Assert.Equal(verdict, PairwiseJudgePrompt.Verdict(judgement));

    private LabelingOptions Options(decimal? maxUsd = null, string journal = "journal.jsonl", int maxRetries = 3, int maxAnswerTokens = 64)
    {
        var options = new LabelingOptions
        {
            JournalPath = _directory.File(journal),
            MaxUsd = maxUsd,
            MaxConcurrency = 3,
            MaxAnswerTokens = maxAnswerTokens,
            MaxJudgeTokens = 32,
            Judge = Model(JudgeName, JudgePrice, maxRetries),
        };
        options.Contestants.Add(Model(Strong, StrongPrice, maxRetries));
        options.Contestants.Add(Model(Weak, WeakPrice, maxRetries));
        return options;
    }

    private static CatalogueModel Price(string model, double input, double output, double avgOutputChars) =>
        new() { Model = model, InputUsdPerMTok = input, OutputUsdPerMTok = output, AvgOutputChars = avgOutputChars };

    private LabelingModel Model(string name, CatalogueModel price, int maxRetries) =>
        new(name, new RetryingChatClient(new OpenAICompatibleChatClient(_server.BaseUrl, name, httpClient: _http, leaveOpen: true), maxRetries, TimeSpan.Zero), price);
}
