namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// Parts of <see cref="MatrixFactorizationParameters.Values"/> held at fixed values while training: after every
/// optimizer step they are written back, so that neither the gradient nor weight decay moves them.
/// </summary>
internal sealed class FrozenParameters
{
    private readonly List<(int Start, float[] Values)> _ranges = [];

    /// <summary>Number of parameters held fixed.</summary>
    public int Count => _ranges.Sum(r => r.Values.Length);

    /// <summary>Holds <c>Values[start..start+values.Length]</c> at <paramref name="values"/>.</summary>
    public void Add(int start, ReadOnlySpan<float> values) => _ranges.Add((start, values.ToArray()));

    /// <summary>Writes the fixed values into <paramref name="values"/>.</summary>
    public void Apply(Span<float> values)
    {
        foreach (var (start, fixedValues) in _ranges)
        {
            fixedValues.CopyTo(values.Slice(start, fixedValues.Length));
        }
    }
}
