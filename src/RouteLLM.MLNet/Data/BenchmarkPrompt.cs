namespace RouteLLM.MLNet.Data;

/// <summary>One prompt of a routing benchmark with the quality each model achieved on it.</summary>
/// <param name="Prompt">The text routed (the first turn, for multi-turn benchmarks).</param>
/// <param name="StrongQuality">The strong model's quality: 1/0 correctness (MMLU, GSM8K) or a mean grade (MT-Bench).</param>
/// <param name="WeakQuality">The weak model's quality on the same scale.</param>
public sealed record BenchmarkPrompt(string Prompt, double StrongQuality, double WeakQuality);
