namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// The Gaussian noise of successive batches, drawn one batch ahead on another core: noise does not depend on the
/// parameters, and drawing it costs about as much as a batch's forward pass. One stream, consumed in order, so the
/// noise is the same whatever the timing.
/// </summary>
internal sealed class NoiseSource : IDisposable
{
    private readonly SeededRandom _random;
    private readonly float _standardDeviation;
    private readonly float[][] _buffers;
    private Task? _pending;
    private int _current;

    public NoiseSource(SeededRandom random, float standardDeviation, int batchValues)
    {
        _random = random;
        _standardDeviation = standardDeviation;
        _buffers = standardDeviation > 0 ? [new float[batchValues], new float[batchValues]] : [];
        if (_buffers.Length > 0)
        {
            _pending = Task.Run(() => Fill(0));
        }
    }

    /// <summary>The next batch's noise (its first <paramref name="values"/> values), or empty when the deviation is 0. Valid until the next call.</summary>
    public ReadOnlySpan<float> Next(int values)
    {
        if (_pending is null)
        {
            return [];
        }

        _pending.GetAwaiter().GetResult();
        var ready = _current;
        _current = 1 - _current;
        var next = _current;
        _pending = Task.Run(() => Fill(next));
        return _buffers[ready].AsSpan(0, values);
    }

    public void Dispose() => _pending?.GetAwaiter().GetResult();

    private void Fill(int buffer) => _random.FillNormal(_buffers[buffer], _standardDeviation);
}
