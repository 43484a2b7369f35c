using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace RouteLLM.Server;

/// <summary>
/// Finds a string in a parsed body that is not text: invalid UTF-8 bytes, or an escape that decodes to a lone
/// surrogate (<c>"\ud800"</c>). <see cref="JsonDocument"/> accepts both, but reading or re-writing such a string
/// throws, so a body holding one is refused up front, naming the field.
/// </summary>
internal static class JsonText
{
    /// <summary>The path of the first string (or property name) that is not text, e.g. <c>messages[0].content</c>; null when all are.</summary>
    public static string? FindInvalid(JsonElement root)
    {
        var path = new List<string>();
        return IsText(root, path) ? null : Format(path);
    }

    private static bool IsText(JsonElement element, List<string> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(JsonMarshal.GetRawUtf8Value(element), element, static e => e.GetString());
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsText(JsonMarshal.GetRawUtf8PropertyName(property), property, static p => p.Name))
                    {
                        path.Add(".<property name>");
                        return false;
                    }

                    path.Add("." + property.Name);
                    if (!IsText(property.Value, path))
                    {
                        return false;
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return true;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add($"[{index++}]");
                    if (!IsText(item, path))
                    {
                        return false;
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return true;
            default:
                return true;
        }
    }

    // Raw bytes are checked without decoding; only an escaped string (rare) is decoded, to catch a lone surrogate.
    private static bool IsText<T>(ReadOnlySpan<byte> raw, T value, Func<T, string?> decode)
    {
        if (!Utf8.IsValid(raw))
        {
            return false;
        }

        if (raw.IndexOf((byte)'\\') < 0)
        {
            return true;
        }

        try
        {
            var text = decode(value);
            return text is null || !HasLoneSurrogate(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string Format(List<string> path)
    {
        var text = string.Concat(path).TrimStart('.');
        return text.Length == 0 ? "body" : OpenAIError.Quote(text);
    }
}
