using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// xoshiro256+ seeded by SplitMix64, with vectorised Box–Muller normals. MF training draws about 25,000 normals per
/// batch; <see cref="Random"/>'s seeded generator is several times slower and its algorithm is not guaranteed to
/// stay the same across runtimes, which would break "same seed, same router".
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private float[] _radius = [];
    private float[] _angle = [];

    public SeededRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong NextUInt64()
    {
        var result = _s0 + _s3;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = (_s3 << 45) | (_s3 >> 19);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (Lemire's multiply-shift; bias below 2⁻³²·bound).</summary>
    public int NextInt(int bound) => (int)(((NextUInt64() >> 32) * (ulong)bound) >> 32);

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Fills <paramref name="destination"/> with independent N(0, <paramref name="standardDeviation"/>²) draws.</summary>
    public void FillNormal(Span<float> destination, float standardDeviation)
    {
        var pairs = (destination.Length + 1) / 2;
        if (_radius.Length < pairs)
        {
            _radius = new float[pairs];
            _angle = new float[pairs];
        }

        var radius = _radius.AsSpan(0, pairs);
        var angle = _angle.AsSpan(0, pairs);
        for (var i = 0; i < pairs; i++)
        {
            var bits = NextUInt64();
            radius[i] = ((bits >> 40) + 1) * (1f / (1 << 24)); // (0, 1]: log stays finite
            angle[i] = ((bits >> 16) & 0xFFFFFF) * (2f * MathF.PI / (1 << 24));
        }

        // r = σ·sqrt(-2 ln u1); the pair is (r cos θ, r sin θ).
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2f * standardDeviation * standardDeviation, radius);
        TensorPrimitives.Sqrt(radius, radius);
        var half = destination.Length / 2;
        var cos = destination[..half];
        var sin = destination.Slice(half, half);
        TensorPrimitives.SinCos(angle[..half], sin, cos);
        TensorPrimitives.Multiply(cos, radius[..half], cos);
        TensorPrimitives.Multiply(sin, radius[..half], sin);
        if (destination.Length % 2 == 1)
        {
            destination[^1] = radius[half] * MathF.Cos(angle[half]);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
