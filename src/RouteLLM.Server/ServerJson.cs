using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RouteLLM.Server;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed record ErrorBody(ErrorDetail Error);

/// <summary>The inside of an OpenAI error body.</summary>
internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

/// <summary><c>GET /v1/models</c>: OpenAI's model list.</summary>
internal sealed record ModelList(IReadOnlyList<ModelEntry> Data)
{
    public string Object { get; } = "list";
}

/// <summary>One entry of the model list.</summary>
internal sealed record ModelEntry(string Id, long Created)
{
    public string Object { get; } = "model";

    public string OwnedBy { get; } = "routellm";
}

/// <summary><c>GET /health</c>.</summary>
internal sealed record HealthReport(string Status, IReadOnlyList<RouterHealth> Routers);

/// <summary>The router versions now serving.</summary>
internal sealed record RouterHealth(string Name, string Kind, int Version, DateTimeOffset LoadedAt, int CalibrationPrompts);

[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class ServerJsonContext : JsonSerializerContext
{
    /// <summary>Snake-case names, and quotes and angle brackets written as themselves (these bodies are JSON, never HTML).</summary>
    public static ServerJsonContext Api { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
