using System.Text.Json.Serialization;

namespace RouteLLM.Server.Health;

/// <summary>A probe's answer: <c>{"status": "ready", "reasons": []}</c>.</summary>
/// <param name="Status"><c>live</c>, <c>ready</c> or <c>not_ready</c>.</param>
/// <param name="Reasons">Why the replica is not ready; empty otherwise.</param>
internal sealed record ProbeReport(string Status, IReadOnlyList<string> Reasons);

[JsonSerializable(typeof(ProbeReport))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
