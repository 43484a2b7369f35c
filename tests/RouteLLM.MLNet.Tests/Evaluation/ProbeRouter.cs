using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Evaluation;

/// <summary>
/// A router that reads embeddings and keeps its training prompts' embeddings, like MF and SW do: it scores a prompt by
/// the first embedding coordinate and records every embedding it was handed.
/// </summary>
internal sealed class ProbeRouter(RouterManifest manifest, PromptEmbeddings? trainingPrompts) : RouterModel(manifest, trainingPrompts)
{
    public List<(string Prompt, float[] Embedding)> Seen { get; } = [];

    public static ProbeRouter Create(EmbedderInfo embedder, PromptEmbeddings? trainingPrompts) => new(
        new RouterManifest
        {
            Kind = "probe",
            Assembly = typeof(ProbeRouter).Assembly.GetName().Name!,
            Embedder = embedder,
            TrainingPromptsEmbedder = trainingPrompts?.Embedder,
            StrongModel = Benchmarks.Strong,
            WeakModel = Benchmarks.Weak,
            Models = [Benchmarks.Strong, Benchmarks.Weak],
        },
        trainingPrompts);

    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        var dimension = Manifest.Embedder!.Dimension;
        for (var i = 0; i < prompts.Count; i++)
        {
            var embedding = embeddings.Slice(i * dimension, dimension).ToArray();
            Seen.Add((prompts[i], embedding));
            destination[i] = (embedding[0] + 1) / 2;
        }
    }

    protected override RouterModel WithModelsCore(RouterManifest manifest) => new ProbeRouter(manifest, TrainingPrompts);

    protected internal override void SaveContents(RouterZipWriter writer) => throw new NotSupportedException();
}
