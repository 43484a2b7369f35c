using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// MT-Bench's pairwise judge prompt (FastChat's <c>pair-v2</c>): the judge compares two answers to one question and
/// ends with <c>[[A]]</c>, <c>[[B]]</c> or <c>[[C]]</c> (a tie).
/// </summary>
public static class PairwiseJudgePrompt
{
    /// <summary>The system prompt.</summary>
    public const string System =
        "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. "
        + "You should choose the assistant that follows the user's instructions and answers the user's question better. "
        + "Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. "
        + "Begin your evaluation by comparing the two responses and provide a short explanation. "
        + "Avoid any position biases and ensure that the order in which the responses were presented does not influence your decision. "
        + "Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. "
        + "After providing your explanation, output your final verdict by strictly following this format: "
        + "\"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.";

    /// <summary>The messages that ask the judge to compare <paramref name="answerA"/> with <paramref name="answerB"/>.</summary>
    public static IReadOnlyList<ChatMessage> Messages(string question, string answerA, string answerB) =>
    [
        new(ChatRole.System, System),
        new(ChatRole.User,
            $"[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{answerA}\n[The End of Assistant A's Answer]\n\n"
            + $"[The Start of Assistant B's Answer]\n{answerB}\n[The End of Assistant B's Answer]"),
    ];

    /// <summary>
    /// The verdict in a judgement, as MT-Bench reads it: <c>[[A]]</c> anywhere wins over <c>[[B]]</c>, which wins over
    /// <c>[[C]]</c>; null when the judgement holds none of them.
    /// </summary>
    public static JudgeVerdict? Verdict(string judgement)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        return judgement.Contains("[[A]]", StringComparison.Ordinal) ? JudgeVerdict.A
            : judgement.Contains("[[B]]", StringComparison.Ordinal) ? JudgeVerdict.B
            : judgement.Contains("[[C]]", StringComparison.Ordinal) ? JudgeVerdict.Tie
            : null;
    }
}
