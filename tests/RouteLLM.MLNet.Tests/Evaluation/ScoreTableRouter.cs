using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Evaluation;

/// <summary>A router that reads no embeddings and answers from a table of scores set by the test.</summary>
internal sealed class ScoreTableRouter(Dictionary<string, float> scores) : RouterModel(
    new RouterManifest
    {
        Kind = "table",
        Assembly = typeof(ScoreTableRouter).Assembly.GetName().Name!,
        StrongModel = Benchmarks.Strong,
        WeakModel = Benchmarks.Weak,
        Models = [Benchmarks.Strong, Benchmarks.Weak],
    },
    trainingPrompts: null)
{
    protected override void CalculateStrongWinRatesCore(IReadOnlyList<string> prompts, ReadOnlySpan<float> embeddings, Span<float> destination)
    {
        for (var i = 0; i < prompts.Count; i++)
        {
            destination[i] = scores[prompts[i]];
        }
    }

    protected override RouterModel WithModelsCore(RouterManifest manifest) => this;

    protected internal override void SaveContents(RouterZipWriter writer) => throw new NotSupportedException();
}
