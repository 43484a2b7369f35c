using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions;

/// <summary>Picks the text a router scores out of a conversation.</summary>
internal static class ConversationText
{
    public static string Select(IEnumerable<ChatMessage> messages, RoutedText routedText) => routedText switch
    {
        RoutedText.LastUserMessage => messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "",
        RoutedText.Conversation => string.Join('\n', messages.Select(m => m.Text)),
        _ => throw new ArgumentOutOfRangeException(nameof(routedText), routedText, "Unknown RoutedText."),
    };
}
