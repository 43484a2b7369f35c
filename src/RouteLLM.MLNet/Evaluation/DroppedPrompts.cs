using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>Benchmark prompts left out of an evaluation because the router may have seen them in training.</summary>
/// <param name="ContaminatedList">Prompts on the benchmark's RouteLLM contamination list (exact text match).</param>
/// <param name="NearTraining">
/// Further prompts whose embedding has cosine similarity at or above the cut-off to a prompt the router was trained on;
/// 0 when the router keeps no training prompts (e.g. the random router).
/// </param>
public sealed record DroppedPrompts(
    [property: JsonPropertyName("contaminated_list")] int ContaminatedList,
    [property: JsonPropertyName("near_training")] int NearTraining);
