using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.SimilarityWeighted;

/// <summary>
/// Chooses <see cref="NeighbourScores.Shrinkage"/> by leave-one-out over the training prompts: each prompt's scores
/// are predicted from its neighbours among the others, shrunk toward each model's mean over the others, and the
/// pseudo-count with the least squared error wins. Inner cross-validation, so it never looks at evaluation prompts;
/// the grid's top is large enough that the estimate is each model's mean, the zero router's constant.
/// </summary>
internal static class ShrinkageSelection
{
    /// <summary>The candidates, in pseudo-prompts of weight 1 (a neighbour weighs between 1 and the similarity base).</summary>
    public static readonly double[] Grid = [0, 1, 3, 10, 30, 100, 300, 1_000, 1_000_000];

    /// <summary>The candidate of least leave-one-out squared error; on a tie the larger (closer to the means).</summary>
    public static double Choose(PromptEmbeddings prompts, NeighbourScores scores, int models, double logBase)
    {
        var table = scores.Scores!;
        var count = prompts.Count;
        var norms = new double[count];
        for (var p = 0; p < count; p++)
        {
            var norm = TensorPrimitives.Norm(prompts[p]);
            norms[p] = norm > 0 ? 1 / (double)norm : 0;
        }

        var (totals, counts) = Totals(table, models);
        var errors = new double[Grid.Length];
        var similarities = new double[count];
        var sums = new double[models];
        var weights = new double[models];
        for (var p = 0; p < count; p++)
        {
            for (var q = 0; q < count; q++)
            {
                similarities[q] = TensorPrimitives.Dot(prompts[p], prompts[q]) * norms[p] * norms[q];
            }

            similarities[p] = double.NegativeInfinity;
            Array.Clear(sums);
            Array.Clear(weights);
            scores.Accumulate(similarities, logBase, sums, weights);
            for (var m = 0; m < models; m++)
            {
                var truth = table[p * models + m];
                if (float.IsNaN(truth) || counts[m] < 2)
                {
                    continue;
                }

                var mean = (totals[m] - truth) / (counts[m] - 1);
                for (var g = 0; g < Grid.Length; g++)
                {
                    var error = NeighbourScores.Shrunk(sums[m], weights[m], mean, Grid[g]) - truth;
                    errors[g] += error * error;
                }
            }
        }

        var best = Grid.Length - 1;
        for (var g = Grid.Length - 2; g >= 0; g--)
        {
            if (errors[g] < errors[best])
            {
                best = g;
            }
        }

        return Grid[best];
    }

    private static (double[] Totals, int[] Counts) Totals(float[] table, int models)
    {
        var totals = new double[models];
        var counts = new int[models];
        for (var i = 0; i < table.Length; i++)
        {
            if (!float.IsNaN(table[i]))
            {
                totals[i % models] += table[i];
                counts[i % models]++;
            }
        }

        return (totals, counts);
    }
}
