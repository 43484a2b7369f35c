using System.Numerics.Tensors;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>Finds benchmark prompts that (nearly) repeat a prompt a router was trained on.</summary>
internal static class TrainingOverlap
{
    // Benchmark rows compared against each training row in turn: a block stays in cache while the training
    // embeddings, which can be far larger, stream through once per block.
    private const int BlockRows = 64;

    /// <summary>
    /// Marks each benchmark prompt whose embedding has cosine similarity ≥ <paramref name="minCosine"/> to some training
    /// prompt's. A zero vector has no direction and matches nothing.
    /// </summary>
    /// <param name="training">The training prompts' embeddings.</param>
    /// <param name="prompts">Row-major embeddings of the benchmark prompts, from the same embedder.</param>
    /// <param name="minCosine">The similarity from which a prompt counts as seen.</param>
    public static bool[] Find(PromptEmbeddings training, ReadOnlySpan<float> prompts, double minCosine)
    {
        var dimension = training.Embedder.Dimension;
        var count = prompts.Length / dimension;
        var near = new bool[count];
        var promptNorms = Norms(prompts, dimension);
        var trainingNorms = Norms(training.Values, dimension);
        for (var start = 0; start < count; start += BlockRows)
        {
            var end = Math.Min(start + BlockRows, count);
            var open = 0;
            for (var i = start; i < end; i++)
            {
                open += promptNorms[i] > 0 ? 1 : 0;
            }

            for (var t = 0; t < trainingNorms.Length && open > 0; t++)
            {
                if (trainingNorms[t] == 0)
                {
                    continue;
                }

                var row = training[t];
                for (var i = start; i < end; i++)
                {
                    if (!near[i] && promptNorms[i] > 0 &&
                        TensorPrimitives.Dot(row, prompts.Slice(i * dimension, dimension)) >= minCosine * trainingNorms[t] * promptNorms[i])
                    {
                        near[i] = true;
                        open--;
                    }
                }
            }
        }

        return near;
    }

    private static double[] Norms(ReadOnlySpan<float> rows, int dimension)
    {
        var norms = new double[rows.Length / dimension];
        for (var i = 0; i < norms.Length; i++)
        {
            norms[i] = TensorPrimitives.Norm(rows.Slice(i * dimension, dimension));
        }

        return norms;
    }
}
