using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Chatbot Arena's <c>prompt</c> cell: a JSON list of the user's turns. Routers read the first turn, stripped of
/// surrounding white space, as RouteLLM's <c>json.loads(prompt)[0].strip()</c> does.
/// </summary>
internal static class ConversationTurns
{
    /// <summary>The first turn of a JSON list of turns, or null with <paramref name="problem"/> saying why not.</summary>
    public static string? FirstTurn(string json, out string problem)
    {
        // A forward-only reader over pooled UTF-8: 101k battles are read in well under a second this way.
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(rented.AsSpan(0, Encoding.UTF8.GetBytes(json, rented)));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                problem = $"a JSON {Kind(reader.TokenType)} where a JSON list of turns is expected";
                return null;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                problem = reader.TokenType == JsonTokenType.EndArray ? "the list of turns is empty" : $"the first turn is a JSON {Kind(reader.TokenType)}, not a string";
                return null;
            }

            var turn = reader.GetString()!.Trim();
            while (reader.Read())
            {
                // Reading to the end checks that the rest of the cell is well-formed JSON too.
            }

            problem = turn.Length == 0 ? "the first turn is empty" : "";
            return turn.Length == 0 ? null : turn;
        }
        catch (JsonException e)
        {
            problem = $"not a JSON list of turns ({e.Message})";
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "Object",
        JsonTokenType.StartArray => "Array",
        JsonTokenType.None => "nothing",
        _ => token.ToString(),
    };
}
