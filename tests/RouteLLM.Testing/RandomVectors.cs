namespace RouteLLM.Testing;

/// <summary>Random embeddings for planted test data.</summary>
public static class RandomVectors
{
    /// <summary>A direction drawn uniformly on the unit sphere: normal coordinates (Box–Muller), then L2-normalised.</summary>
    /// <param name="random">The source of every draw (2 per coordinate).</param>
    /// <param name="dimension">The vector's length.</param>
    public static float[] Unit(Random random, int dimension)
    {
        ArgumentNullException.ThrowIfNull(random);
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }
}
