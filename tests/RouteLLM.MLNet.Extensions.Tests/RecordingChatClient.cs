using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace RouteLLM.MLNet.Extensions.Tests;

/// <summary>An in-memory chat client that answers "from NAME" and counts its calls; its metadata names a model when given one.</summary>
internal sealed class RecordingChatClient(string name, string? defaultModelId = null) : IChatClient
{
    public int Calls { get; private set; }

    public bool Disposed { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "from " + name)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls++;
        for (var i = 0; i < 3; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"{name}{i} ");
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) && defaultModelId is not null ? new ChatClientMetadata("test", null, defaultModelId)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => Disposed = true;
}
