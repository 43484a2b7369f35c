using System.Globalization;
using System.Text;
using System.Text.Json;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.IO;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// Writes labeled battles in Chatbot Arena's CSV schema (<c>id, model_a, model_b, prompt, response_a, response_b,
/// winner_model_a, winner_model_b, winner_tie</c>; prompt and responses as JSON lists), which <c>routellm train
/// --battles</c> reads as it reads the Arena file.
/// </summary>
public static class LabeledBattleCsv
{
    private const string Header = "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie";

    /// <summary>Writes <paramref name="battles"/> to <paramref name="path"/> at once (a temporary file, then moved).</summary>
    /// <param name="path">The CSV to write; replaced if it exists.</param>
    /// <param name="battles">The battles, written in order; <c>id</c> is the row's position.</param>
    public static void Write(string path, IEnumerable<LabeledBattle> battles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(battles);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(Header);
            var id = 0;
            foreach (var battle in battles)
            {
                writer.WriteLine(string.Join(',',
                    id++.ToString(CultureInfo.InvariantCulture),
                    Field(battle.ModelA),
                    Field(battle.ModelB),
                    Field(JsonList(battle.Prompt)),
                    Field(JsonList(battle.AnswerA)),
                    Field(JsonList(battle.AnswerB)),
                    Flag(battle.Outcome == BattleOutcome.ModelAWins),
                    Flag(battle.Outcome == BattleOutcome.ModelBWins),
                    Flag(battle.Outcome == BattleOutcome.Tie)));
            }
        });
    }

    private static string JsonList(string text) => JsonSerializer.Serialize(new[] { text });

    private static string Flag(bool value) => value ? "1" : "0";

    // RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
