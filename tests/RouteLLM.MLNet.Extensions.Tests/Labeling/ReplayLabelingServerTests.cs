using RouteLLM.MLNet.Catalogue;
using RouteLLM.FakeUpstream;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Extensions.Labeling;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Extensions.Tests.Labeling;

public sealed class ReplayLabelingServerTests : IAsyncLifetime, IDisposable
{
    private const string Strong = "strong-model";
    private const string Weak = "weak-model";
    private const string JudgeName = "replay-judge";

    // Recorded outcomes: MMLU-like 1/0 correctness, and an AlpacaEval-like win share (0.75 = the strong model won
    // one recorded battle and tied the other).
    private static readonly string[] Prompts = ["only strong right", "only weak right", "both right", "both wrong", "won and tied"];
    private static readonly (double Strong, double Weak)[] Recorded = [(1, 0), (0, 1), (1, 1), (0, 0), (0.75, 0.25)];

    private readonly TemporaryDirectory _directory = new();
    private readonly HttpClient _http = new();
    private ReplayLabelingServer _server = null!;

    public async Task InitializeAsync() => _server = await ReplayLabelingServer.StartAsync(JudgeName, Prompts,
        [.. Recorded.Select(r => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { [Strong] = r.Strong, [Weak] = r.Weak })]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Labeling_replays_the_recorded_outcome_of_each_prompt_whichever_side_each_model_is_shown()
    {
        var result = await new BattleLabeler(Options(Strong, Weak)).LabelAsync(Prompts);
        var swapped = await new BattleLabeler(Options(Weak, Strong, "swapped.jsonl")).LabelAsync(Prompts);

        Assert.Equal(
            [BattleOutcome.ModelAWins, BattleOutcome.ModelBWins, BattleOutcome.Tie, BattleOutcome.Tie, BattleOutcome.ModelAWins],
            result.Battles.Select(b => b.Outcome));
        Assert.Equal(
            [BattleOutcome.ModelBWins, BattleOutcome.ModelAWins, BattleOutcome.Tie, BattleOutcome.Tie, BattleOutcome.ModelBWins],
            swapped.Battles.Select(b => b.Outcome));
        Assert.Equal($"replay:1:{Weak}", result.Battles[1].AnswerB);
        Assert.Equal(0, result.UnreadableVerdicts + swapped.UnreadableVerdicts);
    }

    [Fact]
    public async Task A_prompt_without_a_recorded_outcome_fails_instead_of_being_labelled()
    {
        var result = await new BattleLabeler(Options(Strong, Weak)).LabelAsync(["only strong right", "never recorded"]);

        Assert.Equal(["only strong right"], result.Battles.Select(b => b.Prompt));
        Assert.Equal(1, result.PromptsFailed);
    }

    private LabelingOptions Options(string first, string second, string journal = "journal.jsonl")
    {
        var options = new LabelingOptions { JournalPath = _directory.File(journal), Judge = Model(JudgeName) };
        options.Contestants.Add(Model(first));
        options.Contestants.Add(Model(second));
        return options;
    }

    private LabelingModel Model(string name) =>
        new(name, new OpenAICompatibleChatClient(_server.BaseUrl, name, httpClient: _http, leaveOpen: true), new CatalogueModel { Model = name, InputUsdPerMTok = 0, OutputUsdPerMTok = 0, AvgOutputChars = 0 });
}
