using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// The lettered answer options of a multiple-choice prompt (lines <c>A) …</c>, <c>B) …</c>, as RouterBench's and MMLU's
/// prompts list them), each reduced to a fingerprint. Models answer lettered options with a position bias (on
/// RouterBench's Winogrande claude-instant-v1 answers A to every question and llama-2-70b-chat B), so whether a
/// near-duplicate twin lists the same options in the same order decides whether a model's outcome on the twin carries
/// over to the prompt or flips: the same order with the other answer moves the correct letter; a swapped order keeps it.
/// </summary>
internal static partial class AnswerOptions
{
    /// <summary>
    /// The fingerprints (16 hex digits of SHA-256 of the trimmed text) of the prompt's last run of lettered options, in
    /// the order listed; empty when it has no run of at least two lines lettered A, B, … in turn.
    /// </summary>
    /// <param name="prompt">A prompt, or its last block.</param>
    public static string[] Fingerprints(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        List<string> last = [], current = [];
        foreach (var line in prompt.Split('\n'))
        {
            var match = OptionLine().Match(line.Trim());
            if (match.Success && match.Groups["letter"].Value[0] == 'A' + current.Count)
            {
                current.Add(match.Groups["text"].Value.Trim());
                continue;
            }

            Close();
            if (match.Success && match.Groups["letter"].Value[0] == 'A')
            {
                current.Add(match.Groups["text"].Value.Trim());
            }
        }

        Close();
        return [.. last.Select(Fingerprint)];

        void Close()
        {
            if (current.Count >= 2)
            {
                last = current;
            }

            current = [];
        }
    }

    /// <summary>
    /// +1 when both prompts list the same options in the same order, −1 when they list the same options in another
    /// order, 0 when either has none or their options differ.
    /// </summary>
    /// <param name="first">One prompt's <see cref="Fingerprints"/>.</param>
    /// <param name="second">The other's.</param>
    public static int Alignment(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 || first.Count != second.Count || !first.Order(StringComparer.Ordinal).SequenceEqual(second.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return 0;
        }

        return first.SequenceEqual(second, StringComparer.Ordinal) ? 1 : -1;
    }

    private static string Fingerprint(string option) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(option)).AsSpan(0, 8));

    [GeneratedRegex(@"^\(?(?<letter>[A-Z])[\).:]\s+(?<text>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionLine();
}
