using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// Adam as <c>torch.optim.Adam</c> applies it (the optimiser RouteLLM's MF training uses): weight decay is L2 added
/// to the gradient before the moments (not AdamW's decoupled decay), bias corrections as torch computes them, and
/// every parameter is updated at every step, including rows of P whose models sat out the batch.
/// </summary>
internal sealed class AdamOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const float Epsilon = 1e-8f;

    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly float _learningRate;
    private readonly float _weightDecay;
    private int _step;

    public AdamOptimizer(int parameterCount, float learningRate, float weightDecay)
    {
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
        _learningRate = learningRate;
        _weightDecay = weightDecay;
    }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradient"/>.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
    {
        if (parameters.Length != _firstMoment.Length || gradient.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected {_firstMoment.Length} parameters and gradients.");
        }

        _step++;
        var stepSize = (float)(_learningRate / (1 - Math.Pow(Beta1, _step)));
        var inverseCorrection2 = (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, _step)));
        const float b1 = (float)Beta1, b2 = (float)Beta2, c1 = (float)(1 - Beta1), c2 = (float)(1 - Beta2);

        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var m = ref MemoryMarshal.GetArrayDataReference(_firstMoment);
        ref var v = ref MemoryMarshal.GetArrayDataReference(_secondMoment);
        var i = 0;
        var width = Vector<float>.Count;
        for (; i + width <= parameters.Length; i += width)
        {
            var pi = Vector.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector.LoadUnsafe(ref g, (nuint)i) + pi * _weightDecay;
            var mi = Vector.LoadUnsafe(ref m, (nuint)i) * b1 + gi * c1;
            var vi = Vector.LoadUnsafe(ref v, (nuint)i) * b2 + gi * gi * c2;
            var denominator = Vector.SquareRoot(vi) * inverseCorrection2 + new Vector<float>(Epsilon);
            mi.StoreUnsafe(ref m, (nuint)i);
            vi.StoreUnsafe(ref v, (nuint)i);
            (pi - stepSize * mi / denominator).StoreUnsafe(ref p, (nuint)i);
        }

        for (; i < parameters.Length; i++)
        {
            ref var pi = ref Unsafe.Add(ref p, i);
            var gi = Unsafe.Add(ref g, i) + pi * _weightDecay;
            ref var mi = ref Unsafe.Add(ref m, i);
            ref var vi = ref Unsafe.Add(ref v, i);
            mi = mi * b1 + gi * c1;
            vi = vi * b2 + gi * gi * c2;
            pi -= stepSize * mi / (MathF.Sqrt(vi) * inverseCorrection2 + Epsilon);
        }
    }
}
