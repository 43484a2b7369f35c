using System.Diagnostics.Metrics;

namespace RouteLLM.Server.Tests;

/// <summary>Records the measurements of one server's meter (the one its <see cref="IMeterFactory"/> created).</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener;
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _seen = [];

    public MeasurementRecorder(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RouteLLMServer.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements whose tags include <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags)
    {
        lock (_seen)
        {
            return _seen.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);
        }
    }

    /// <summary>The latest value of an observable instrument, read now.</summary>
    public double Observe(string instrument)
    {
        lock (_seen)
        {
            _seen.RemoveAll(m => m.Instrument == instrument);
        }

        _listener.RecordObservableInstruments();
        lock (_seen)
        {
            return _seen.Last(m => m.Instrument == instrument).Value;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
        lock (_seen)
        {
            _seen.Add((name, value, copy));
        }
    }
}
