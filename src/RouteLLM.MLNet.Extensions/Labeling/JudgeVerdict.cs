namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>A pairwise judge's verdict on the answers it was shown as A and B.</summary>
public enum JudgeVerdict
{
    /// <summary>Assistant A's answer is better (<c>[[A]]</c>).</summary>
    A,

    /// <summary>Assistant B's answer is better (<c>[[B]]</c>).</summary>
    B,

    /// <summary>Neither is better (<c>[[C]]</c>).</summary>
    Tie,
}
