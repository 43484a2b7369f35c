namespace RouteLLM.MLNet.Data;

/// <summary>The model pair RouteLLM routes between, in canonical (Chatbot Arena) spelling.</summary>
public static class RouteLLMModels
{
    /// <summary>The strong, expensive model.</summary>
    public const string Strong = "gpt-4-1106-preview";

    /// <summary>The weak, cheap model; RouteLLM's benchmark files spell it <c>mistralai/Mixtral-8x7B-Instruct-v0.1</c>.</summary>
    public const string Weak = "mixtral-8x7b-instruct-v0.1";
}
