namespace RouteLLM.MLNet.Data;

/// <summary>
/// The part of a few-shot prompt that differs from prompt to prompt. RouterBench's ARC-Challenge and Winogrande prompts
/// are five solved examples (about 1,300–1,700 characters shared by every prompt), then the question, each block
/// separated by a blank line; an embedder that reads the first 256 tokens sees only the shared examples. Routers'
/// training and scoring apply <see cref="LastBlock"/> to such prompts, so they route on the question.
/// </summary>
public static class FewShotPrompt
{
    private const string BlockSeparator = "\n\n";

    /// <summary>
    /// The text after the last blank line (<c>\n\n</c>), trimmed; the whole prompt, trimmed, when it has no blank line
    /// or nothing follows the last one. A question that itself holds a blank line keeps only its last paragraph.
    /// </summary>
    /// <param name="prompt">A prompt.</param>
    public static string LastBlock(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var trimmed = prompt.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        var at = trimmed.LastIndexOf(BlockSeparator, StringComparison.Ordinal);
        return at < 0 ? trimmed.Trim() : trimmed[(at + BlockSeparator.Length)..].Trim();
    }
}
