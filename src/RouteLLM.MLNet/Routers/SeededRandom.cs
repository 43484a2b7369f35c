using System.Numerics;
using System.Numerics.Tensors;

namespace RouteLLM.MLNet.Routers;

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
    private int[] _quadrant = [];

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
    /// <remarks>
    /// Box–Muller with the angle split as ψ = q·π/2 + φ, q uniform in {0..3} and φ uniform in [−π/4, π/4): the pair
    /// (r cos ψ, r sin ψ) is then a quarter-turn of (r cos φ, r sin φ), and sin/cos on [−π/4, π/4] are short
    /// polynomials (error below 4e-7) that vectorise, where the library's SinCos runs per element.
    /// </remarks>
    public void FillNormal(Span<float> destination, float standardDeviation)
    {
        var pairs = (destination.Length + 1) / 2;
        if (_radius.Length < pairs)
        {
            var capacity = (pairs + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
            _radius = new float[capacity];
            _angle = new float[capacity];
            _quadrant = new int[capacity];
        }

        for (var i = 0; i < pairs; i++)
        {
            var bits = NextUInt64();
            _radius[i] = ((int)(bits >> 40) + 1) * (1f / (1 << 24)); // (0, 1]: the log stays finite
            _angle[i] = (int)((bits >> 16) & 0xFFFFFF) * (MathF.PI / 2 / (1 << 24)) - MathF.PI / 4;
            _quadrant[i] = (int)(bits & 3);
        }

        // r = σ·sqrt(−2 ln u).
        var radius = _radius.AsSpan(0, pairs);
        TensorPrimitives.Log(radius, radius);
        TensorPrimitives.Multiply(radius, -2f * standardDeviation * standardDeviation, radius);
        TensorPrimitives.Sqrt(radius, radius);

        var half = destination.Length / 2;
        var width = Vector<float>.Count;
        var i0 = 0;
        for (; i0 + width <= half; i0 += width)
        {
            var (x, y) = Pair(new Vector<float>(_radius, i0), new Vector<float>(_angle, i0), new Vector<int>(_quadrant, i0));
            x.CopyTo(destination.Slice(i0, width));
            y.CopyTo(destination.Slice(half + i0, width));
        }

        for (; i0 < pairs; i0++)
        {
            var (x, y) = Pair(new Vector<float>(_radius[i0]), new Vector<float>(_angle[i0]), new Vector<int>(_quadrant[i0]));
            if (i0 < half)
            {
                destination[i0] = x[0];
                destination[half + i0] = y[0];
            }
            else
            {
                destination[^1] = x[0]; // odd length: the last pair gives one value
            }
        }
    }

    private static (Vector<float> X, Vector<float> Y) Pair(Vector<float> radius, Vector<float> angle, Vector<int> quadrant)
    {
        var a2 = angle * angle;
        var sin = angle * (Vector<float>.One + a2 * (new Vector<float>(-1f / 6) + a2 * (new Vector<float>(1f / 120) + a2 * new Vector<float>(-1f / 5040))));
        var cos = Vector<float>.One + a2 * (new Vector<float>(-0.5f) + a2 * (new Vector<float>(1f / 24) + a2 * (new Vector<float>(-1f / 720) + a2 * new Vector<float>(1f / 40320))));

        // Quarter-turns: q = 1 → (−sin, cos), q = 2 → (−cos, −sin), q = 3 → (sin, −cos).
        var odd = Vector.Equals(quadrant & Vector<int>.One, Vector<int>.One);
        var x = Vector.ConditionalSelect(odd, sin, cos);
        var y = Vector.ConditionalSelect(odd, cos, sin);
        var high = quadrant >> 1;
        var negateX = Vector.AsVectorSingle(((quadrant ^ high) & Vector<int>.One) << 31);
        var negateY = Vector.AsVectorSingle(high << 31);
        return (radius * Vector.Xor(x, negateX), radius * Vector.Xor(y, negateY));
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
