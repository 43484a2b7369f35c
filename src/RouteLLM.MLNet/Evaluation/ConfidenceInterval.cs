using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouteLLM.MLNet.Evaluation;

/// <summary>A two-sided confidence interval; written to JSON as <c>[lower, upper]</c>.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
[JsonConverter(typeof(ConfidenceIntervalJsonConverter))]
public readonly record struct ConfidenceInterval(double Lower, double Upper);

/// <summary>Reads and writes a <see cref="ConfidenceInterval"/> as a two-element JSON array.</summary>
internal sealed class ConfidenceIntervalJsonConverter : JsonConverter<ConfidenceInterval>
{
    public override ConfidenceInterval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bounds = JsonSerializer.Deserialize<double[]>(ref reader, options);
        return bounds is { Length: 2 }
            ? new ConfidenceInterval(bounds[0], bounds[1])
            : throw new JsonException("A confidence interval is a JSON array of two numbers, [lower, upper].");
    }

    public override void Write(Utf8JsonWriter writer, ConfidenceInterval value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Lower);
        writer.WriteNumberValue(value.Upper);
        writer.WriteEndArray();
    }
}
