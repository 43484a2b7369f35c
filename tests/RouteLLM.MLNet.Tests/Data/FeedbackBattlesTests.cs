using System.Text.Json;
using RouteLLM.MLNet.Data;
using RouteLLM.Testing;

namespace RouteLLM.MLNet.Tests.Data;

public sealed class FeedbackBattlesTests
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    [Fact]
    public void Each_kind_of_feedback_becomes_the_documented_battle_and_the_rest_is_counted()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllLines(directory.File("decisions-20260101-001.jsonl"),
        [
            Decision("weak-down", Weak, "  prompt one "),
            Decision("weak-up", Weak, "prompt two"),
            Decision("strong-up", Strong, "prompt three"),
            Decision("preferred", Weak, "prompt four"),
            Decision("no-prompt", Weak, null),
        ]);
        File.WriteAllLines(directory.File("feedback-20260101-001.jsonl"),
        [
            Feedback("weak-down", rating: 1),
            Feedback("weak-down", rating: -1), // the last feedback on a response counts
            Feedback("weak-up", rating: 1),
            Feedback("strong-up", rating: 1),
            Feedback("preferred", preferred: Strong),
            Feedback("no-prompt", rating: -1),
            Feedback("unknown", rating: -1),
        ]);

        var read = FeedbackBattles.Read(directory.Path);

        // Model names are made canonical, as every battle reader does.
        const string weak = "mixtral-8x7b-instruct-v0.1";
        Assert.Equal(
        [
            new Battle("prompt one", Strong, weak, BattleOutcome.ModelAWins),
            new Battle("prompt two", Strong, weak, BattleOutcome.ModelBWins),
            new Battle("prompt three", Strong, weak, BattleOutcome.Tie),
            new Battle("prompt four", Strong, weak, BattleOutcome.ModelAWins),
        ], read.Items);
        Assert.Equal(2, read.Skipped.Total);
    }

    private static string Decision(string id, string model, string? prompt) => JsonSerializer.Serialize(new DecisionLogEntry
    {
        Time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Id = id,
        Router = "mf",
        Policy = "router-mf-0.5",
        Threshold = 0.5,
        StrongWinRate = 0.4,
        Route = model == Strong ? "strong" : "weak",
        StrongModel = Strong,
        WeakModel = Weak,
        Model = model,
        PromptHash = "00",
        Prompt = prompt,
        LatencyMs = 1,
        Outcome = "ok",
    }, DecisionLogJson.Default.DecisionLogEntry);

    private static string Feedback(string id, int? rating = null, string? preferred = null) => JsonSerializer.Serialize(new FeedbackEntry
    {
        Time = new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero),
        ResponseId = id,
        Rating = rating,
        PreferredModel = preferred,
    }, DecisionLogJson.Default.FeedbackEntry);
}
