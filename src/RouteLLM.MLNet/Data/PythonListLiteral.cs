using System.Globalization;
using System.Text;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// Reads a Python list literal of string literals, as pandas writes a list column to CSV (<c>['a', "b"]</c>), with
/// Python's escapes (<c>\n</c>, <c>\'</c>, <c>\xHH</c>, <c>\uHHHH</c>, ...). RouterBench's <c>prompt</c> column is one.
/// </summary>
internal static class PythonListLiteral
{
    /// <summary>The strings in <paramref name="text"/>, or null when it is not a list of string literals.</summary>
    public static List<string>? Parse(string text)
    {
        var items = new List<string>();
        var i = SkipSpace(text, 0);
        if (i >= text.Length || text[i++] != '[')
        {
            return null;
        }

        while (true)
        {
            i = SkipSpace(text, i);
            if (i < text.Length && text[i] == ']' && SkipSpace(text, i + 1) == text.Length)
            {
                return items;
            }

            if (i >= text.Length || text[i] is not ('\'' or '"') || ReadString(text, ref i) is not { } item)
            {
                return null;
            }

            items.Add(item);
            i = SkipSpace(text, i);
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
            else if (i >= text.Length || text[i] != ']')
            {
                return null;
            }
        }
    }

    private static string? ReadString(string text, ref int i)
    {
        var quote = text[i++];
        var value = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == quote)
            {
                return value.ToString();
            }

            if (c != '\\' || i >= text.Length)
            {
                value.Append(c);
                continue;
            }

            var escape = text[i++];
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '0': value.Append('\0'); break;
                case '\\' or '\'' or '"': value.Append(escape); break;
                case 'x' when Hex(text, ref i, 2) is { } code: value.Append((char)code); break;
                case 'u' when Hex(text, ref i, 4) is { } code: value.Append((char)code); break;
                case 'U' when Hex(text, ref i, 8) is { } code: value.Append(char.ConvertFromUtf32(code)); break;
                default: value.Append('\\').Append(escape); break; // Python keeps unknown escapes as written.
            }
        }

        return null;
    }

    private static int? Hex(string text, ref int i, int digits)
    {
        if (i + digits > text.Length || !int.TryParse(text.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            return null;
        }

        i += digits;
        return code;
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }
}
