using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;

namespace RouteLLM.MLNet.Tests.Routers.MatrixFactorization;

public sealed class MatrixFactorizationMathTests
{
    private const int Models = 4, EmbeddingDimension = 6, Dimension = 5;

    private static readonly MatrixFactorizationExample[] Batch =
    [
        new(0, 0, 1, 1f), new(1, 2, 0, 0.5f), new(2, 1, 3, 2f), new(0, 3, 2, 1f),
        new(1, 0, 3, 1.5f), new(2, 2, 1, 1f), new(1, 1, 0, 0.25f),
    ];

    [Fact]
    public void Analytic_gradient_matches_central_differences_for_every_parameter()
    {
        var random = new SeededRandom(3);
        var parameters = MatrixFactorizationParameters.Initialize(Models, EmbeddingDimension, Dimension, random);
        // Spread P's norms so that the normalisation's Jacobian is exercised away from ‖P‖ = 1.
        for (var m = 0; m < Models; m++)
        {
            foreach (ref var value in parameters.ModelVectors.Slice(m * Dimension, Dimension)) value *= 0.5f + m;
        }

        // A larger w2 makes the loss depend strongly enough on P for the differences to be meaningful.
        foreach (ref var value in parameters.Classifier) value *= 4f;
        var embeddings = new float[3 * EmbeddingDimension];
        random.FillNormal(embeddings, 1f);
        var noise = new float[Batch.Length * EmbeddingDimension];
        random.FillNormal(noise, 0.1f);
        var objective = new MatrixFactorizationObjective(Models, EmbeddingDimension, Dimension, Batch.Length);
        var scratch = new float[parameters.Values.Length];
        float Loss() => objective.LossAndGradient(parameters, embeddings, Batch, noise, scratch);

        var analytic = new float[parameters.Values.Length];
        objective.LossAndGradient(parameters, embeddings, Batch, noise, analytic);

        const float h = 4e-3f;
        var groups = new (string Name, int Start, int Length)[]
        {
            ("P", 0, Models * Dimension),
            ("W", Models * Dimension, EmbeddingDimension * Dimension),
            ("w2", (Models + EmbeddingDimension) * Dimension, Dimension),
        };
        foreach (var (name, start, length) in groups)
        {
            var largest = 0f;
            for (var i = start; i < start + length; i++)
            {
                var saved = parameters.Values[i];
                parameters.Values[i] = saved + h;
                var up = Loss();
                parameters.Values[i] = saved - h;
                var down = Loss();
                parameters.Values[i] = saved;
                var numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{name}[{i - start}]: analytic {analytic[i]}, numeric {numeric}");
                largest = Math.Max(largest, Math.Abs(numeric));
            }

            Assert.True(largest > 1e-2, $"{name}: the loss barely depends on this group ({largest}), so the check proves nothing.");
        }
    }

    [Fact]
    public void Weighted_battle_counts_exactly_as_its_copies()
    {
        var parameters = MatrixFactorizationParameters.Initialize(Models, EmbeddingDimension, Dimension, new SeededRandom(4));
        var embeddings = new float[3 * EmbeddingDimension];
        new SeededRandom(5).FillNormal(embeddings, 1f);
        MatrixFactorizationExample[] weighted = [new(0, 0, 1, 3f), new(1, 2, 0, 1f)];
        MatrixFactorizationExample[] copies = [new(0, 0, 1, 1f), new(1, 2, 0, 1f), new(0, 0, 1, 1f), new(0, 0, 1, 1f)];
        var objective = new MatrixFactorizationObjective(Models, EmbeddingDimension, Dimension, 4);
        var weightedGradient = new float[parameters.Values.Length];
        var copiesGradient = new float[parameters.Values.Length];

        var weightedLoss = objective.LossAndGradient(parameters, embeddings, weighted, [], weightedGradient);
        var copiesLoss = objective.LossAndGradient(parameters, embeddings, copies, [], copiesGradient);

        Assert.Equal(copiesLoss, weightedLoss, 5);
        for (var i = 0; i < weightedGradient.Length; i++)
        {
            Assert.Equal(copiesGradient[i], weightedGradient[i], 5);
        }
    }

    [Fact]
    public void Adam_matches_torch_update_with_l2_weight_decay()
    {
        // Reference: torch.optim.Adam(lr=0.1, weight_decay=0.01), betas (0.9, 0.999), eps 1e-8, two steps with the
        // gradient (0.5, -0.1, 0): g' = g + 0.01·θ; Δθ = -(lr / (1-0.9^t))·m / (sqrt(v)/sqrt(1-0.999^t) + eps),
        // evaluated by hand in double precision.
        float[] parameters = [1f, -2f, 0.5f];
        float[] gradient = [0.5f, -0.1f, 0f];
        var adam = new AdamOptimizer(3, learningRate: 0.1f, weightDecay: 0.01f);

        adam.Step(parameters, gradient);
        Assert.Equal([0.9f, -1.9f, 0.4000002f], parameters, (a, b) => Math.Abs(a - b) < 2e-6);
        adam.Step(parameters, gradient);
        Assert.Equal([0.8000052f, -1.8000227f, 0.3011878f], parameters, (a, b) => Math.Abs(a - b) < 2e-6);
    }

    [Theory]
    [InlineData(5, 7, 67)]
    [InlineData(64, 384, 128)]
    [InlineData(1, 3, 32)]
    public void Kernel_matches_naive_product_in_both_layouts(int rows, int inner, int columns)
    {
        var random = new SeededRandom(11);
        var a = new float[rows * inner];
        var b = new float[inner * columns];
        random.FillNormal(a, 1f);
        random.FillNormal(b, 1f);
        var c = new float[rows * columns];
        var transposed = new float[inner * rows];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < inner; j++)
                transposed[j * rows + i] = a[i * inner + j];

        MatrixKernels.Multiply(a, inner, 1, b, c, rows, inner, columns);
        var fromTransposed = new float[rows * columns];
        MatrixKernels.Multiply(transposed, 1, rows, b, fromTransposed, rows, inner, columns);

        for (var i = 0; i < rows; i++)
        {
            for (var k = 0; k < columns; k++)
            {
                var expected = 0.0;
                for (var j = 0; j < inner; j++) expected += (double)a[i * inner + j] * b[j * columns + k];
                Assert.True(Math.Abs(expected - c[i * columns + k]) <= 1e-5 * (1 + Math.Abs(expected)) * inner, $"c[{i},{k}]");
                Assert.Equal(c[i * columns + k], fromTransposed[i * columns + k]);
            }
        }
    }

    [Fact]
    public void Normal_draws_have_the_requested_moments_and_repeat_for_a_seed()
    {
        var draws = new float[200_001];
        new SeededRandom(21).FillNormal(draws, 0.1f);
        var mean = draws.Average();
        var variance = draws.Select(x => (x - mean) * (x - mean)).Average();
        var beyondTwoSigma = draws.Count(x => Math.Abs(x) > 0.2f) / (double)draws.Length;
        var kurtosis = draws.Select(x => Math.Pow(x - mean, 4)).Average() / (variance * variance);
        var half = draws.Length / 2;
        var pairCorrelation = Enumerable.Range(0, half).Average(i => (double)draws[i] * draws[half + i]) / variance;

        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.InRange(Math.Sqrt(variance), 0.099, 0.101);
        Assert.InRange(beyondTwoSigma, 0.0435, 0.0475); // P(|Z| > 2) = 0.0455
        Assert.InRange(kurtosis, 2.93, 3.07);
        Assert.InRange(pairCorrelation, -0.01, 0.01); // the two values of a Box–Muller pair are independent
        var again = new float[draws.Length];
        new SeededRandom(21).FillNormal(again, 0.1f);
        Assert.Equal(draws, again);
    }
}
