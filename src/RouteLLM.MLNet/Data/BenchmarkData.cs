namespace RouteLLM.MLNet.Data;

/// <summary>A routing benchmark as loaded: prompts with both models' quality, and RouteLLM's contamination list.</summary>
/// <param name="Name">Benchmark name: <c>mmlu</c>, <c>mt-bench</c>, <c>gsm8k</c> or <c>csv</c>.</param>
/// <param name="StrongModel">Canonical name of the strong model.</param>
/// <param name="WeakModel">Canonical name of the weak model.</param>
/// <param name="Prompts">The prompts, in file order (nothing dropped yet).</param>
/// <param name="ContaminatedPrompts">Prompts RouteLLM lists as seen in training (<c>contaminated_prompts.jsonl</c>).</param>
/// <param name="Skipped">Rows, grades or records skipped while loading, by reason (reported, never silent).</param>
public sealed record BenchmarkData(
    string Name,
    string StrongModel,
    string WeakModel,
    IReadOnlyList<BenchmarkPrompt> Prompts,
    IReadOnlySet<string> ContaminatedPrompts,
    IReadOnlyDictionary<string, int> Skipped);
