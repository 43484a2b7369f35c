namespace RouteLLM.MLNet.Extensions;

/// <summary>Which text of a conversation the router scores.</summary>
public enum RoutedText
{
    /// <summary>The text of the last user message, as RouteLLM routes (its routers were trained on first turns).</summary>
    LastUserMessage,

    /// <summary>The text of every message, in order, one message per line.</summary>
    Conversation,
}
