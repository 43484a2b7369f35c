using RouteLLM.MLNet.Embeddings;
using RouteLLM.MLNet.Evaluation;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Tests.Evaluation;

public sealed class TrainingOverlapTests
{
    [Fact]
    public void Marks_prompts_at_or_above_the_cosine_in_every_block_and_never_a_zero_vector()
    {
        // Training rows: e0 and (e1 + e2)/√2. Benchmark rows past the first 64-row block: a scaled copy of e0 (cosine 1),
        // unit vectors at cosine 0.951 and 0.949 to e0 (just over and under the cut-off), e1 (cosine 0.707 to the second
        // training row) and a zero vector. The other rows are e2 (cosine 0.707).
        var training = new PromptEmbeddings(new EmbedderInfo("t", 3), [1, 0, 0, 0.70710678f, 0.70710678f, 0]);
        var rows = new float[130 * 3];
        for (var i = 0; i < 130; i++)
        {
            rows[i * 3 + 2] = 1;
        }

        float[][] planted = [[3, 0, 0], [0.951f, MathF.Sqrt(1 - 0.951f * 0.951f), 0], [0.949f, MathF.Sqrt(1 - 0.949f * 0.949f), 0], [0, 1, 0], [0, 0, 0]];
        for (var k = 0; k < planted.Length; k++)
        {
            planted[k].CopyTo(rows, (100 + k) * 3);
        }

        var near = TrainingOverlap.Find(training, rows, 0.95);

        Assert.Equal([100, 101], Enumerable.Range(0, near.Length).Where(i => near[i]));
    }
}
