using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.Difficulty;

/// <summary>
/// Ridge regression of one target on prompt embeddings, <c>y ≈ w·(x − x̄) + ȳ</c>, its penalty chosen among candidates
/// by k-fold cross-validation on squared error over the training rows alone. Solved in the primal by Cholesky, since
/// an embedding has a few hundred dimensions and a training set a few thousand prompts.
/// </summary>
internal sealed class RidgeRegression
{
    private RidgeRegression(float[] weights, float[] mean, float intercept, double penalty, double crossValidatedError)
    {
        Weights = weights;
        Mean = mean;
        Intercept = intercept;
        Penalty = penalty;
        CrossValidatedError = crossValidatedError;
    }

    /// <summary>w, one weight per embedding dimension.</summary>
    public float[] Weights { get; }

    /// <summary>x̄, the training rows' mean embedding.</summary>
    public float[] Mean { get; }

    /// <summary>ȳ, the training rows' mean target.</summary>
    public float Intercept { get; }

    /// <summary>The chosen penalty.</summary>
    public double Penalty { get; }

    /// <summary>The chosen penalty's mean squared error over the held-out folds.</summary>
    public double CrossValidatedError { get; }

    /// <summary>Fits with the penalty of least k-fold squared error; on a tie the larger penalty.</summary>
    /// <param name="x">Row-major embeddings, <c>y.Length × dimension</c>.</param>
    /// <param name="y">The targets, finite.</param>
    /// <param name="dimension">Embedding dimension.</param>
    /// <param name="penalties">Candidate penalties, each finite and &gt; 0.</param>
    /// <param name="folds">Folds of the penalty choice; at least 2 and at most the row count.</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    public static RidgeRegression Fit(ReadOnlySpan<float> x, ReadOnlySpan<double> y, int dimension, IReadOnlyList<double> penalties, int folds, int seed)
    {
        var rows = y.Length;
        var foldOf = new int[rows];
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        for (var i = 0; i < rows; i++)
        {
            foldOf[order[i]] = i % folds;
        }

        var stats = new Moments[folds];
        for (var f = 0; f < folds; f++)
        {
            stats[f] = new Moments(dimension);
        }

        var row = new double[dimension];
        for (var i = 0; i < rows; i++)
        {
            var source = x.Slice(i * dimension, dimension);
            for (var a = 0; a < dimension; a++)
            {
                row[a] = source[a];
            }

            stats[foldOf[i]].Add(row, y[i]);
        }

        var total = Moments.Sum(stats, except: -1, dimension);
        var errors = new double[penalties.Count];
        for (var f = 0; f < folds; f++)
        {
            var training = Moments.Sum(stats, except: f, dimension);
            for (var k = 0; k < penalties.Count; k++)
            {
                var (weights, mean, intercept) = training.Solve(penalties[k]);
                for (var i = 0; i < rows; i++)
                {
                    if (foldOf[i] == f)
                    {
                        var error = Predict(x.Slice(i * dimension, dimension), weights, mean, intercept) - y[i];
                        errors[k] += error * error;
                    }
                }
            }
        }

        var best = penalties.Count - 1;
        for (var k = penalties.Count - 2; k >= 0; k--)
        {
            if (errors[k] < errors[best])
            {
                best = k;
            }
        }

        var (w, m, b) = total.Solve(penalties[best]);
        return new RidgeRegression(w, m, b, penalties[best], errors[best] / rows);
    }

    /// <summary>Recreates a fitted regression from its saved parameters.</summary>
    public static RidgeRegression FromParameters(float[] weights, float[] mean, float intercept, double penalty) =>
        new(weights, mean, intercept, penalty, double.NaN);

    /// <summary>The prediction for one embedding.</summary>
    public double Predict(ReadOnlySpan<float> x) => Predict(x, Weights, Mean, Intercept);

    private static double Predict(ReadOnlySpan<float> x, float[] weights, float[] mean, float intercept) =>
        intercept + TensorPrimitives.Dot(x, weights) - (double)TensorPrimitives.Dot(mean, weights);

    /// <summary>Sufficient statistics of a set of rows: n, Σx, Σy, Σxxᵀ and Σxy.</summary>
    private sealed class Moments(int dimension)
    {
        private readonly double[] _xx = new double[dimension * dimension];
        private readonly double[] _x = new double[dimension];
        private readonly double[] _xy = new double[dimension];
        private double _y;
        private int _count;

        public void Add(double[] row, double y)
        {
            for (var a = 0; a < dimension; a++)
            {
                TensorPrimitives.MultiplyAdd(row, row[a], _xx.AsSpan(a * dimension, dimension), _xx.AsSpan(a * dimension, dimension));
            }

            TensorPrimitives.Add(_x, row, _x);
            TensorPrimitives.MultiplyAdd(row, y, _xy, _xy);
            _y += y;
            _count++;
        }

        public static Moments Sum(Moments[] parts, int except, int dimension)
        {
            var sum = new Moments(dimension);
            for (var f = 0; f < parts.Length; f++)
            {
                if (f != except)
                {
                    TensorPrimitives.Add(sum._xx, parts[f]._xx, sum._xx);
                    TensorPrimitives.Add(sum._x, parts[f]._x, sum._x);
                    TensorPrimitives.Add(sum._xy, parts[f]._xy, sum._xy);
                    sum._y += parts[f]._y;
                    sum._count += parts[f]._count;
                }
            }

            return sum;
        }

        /// <summary>Solves (Xcᵀ Xc + λI) w = Xcᵀ yc for the centred rows, by Cholesky.</summary>
        public (float[] Weights, float[] Mean, float Intercept) Solve(double penalty)
        {
            var n = Math.Max(_count, 1);
            var mean = new double[dimension];
            TensorPrimitives.Divide(_x, n, mean);
            var meanY = _y / n;
            var a = new double[dimension * dimension];
            var b = new double[dimension];
            for (var i = 0; i < dimension; i++)
            {
                for (var j = 0; j < dimension; j++)
                {
                    a[i * dimension + j] = _xx[i * dimension + j] - n * mean[i] * mean[j];
                }

                a[i * dimension + i] += penalty;
                b[i] = _xy[i] - n * mean[i] * meanY;
            }

            CholeskySolve(a, b, dimension);
            return (Array.ConvertAll(b, v => (float)v), Array.ConvertAll(mean, v => (float)v), (float)meanY);
        }

        // a = L Lᵀ in place (lower triangle), then forward and back substitution into b.
        private static void CholeskySolve(double[] a, double[] b, int d)
        {
            for (var j = 0; j < d; j++)
            {
                var rowJ = a.AsSpan(j * d, j);
                var diagonal = a[j * d + j] - TensorPrimitives.Dot<double>(rowJ, rowJ);
                a[j * d + j] = Math.Sqrt(diagonal);
                for (var i = j + 1; i < d; i++)
                {
                    a[i * d + j] = (a[i * d + j] - TensorPrimitives.Dot<double>(a.AsSpan(i * d, j), rowJ)) / a[j * d + j];
                }
            }

            for (var i = 0; i < d; i++)
            {
                b[i] = (b[i] - TensorPrimitives.Dot<double>(a.AsSpan(i * d, i), b.AsSpan(0, i))) / a[i * d + i];
            }

            for (var i = d - 1; i >= 0; i--)
            {
                var sum = b[i];
                for (var k = i + 1; k < d; k++)
                {
                    sum -= a[k * d + i] * b[k];
                }

                b[i] = sum / a[i * d + i];
            }
        }
    }
}
