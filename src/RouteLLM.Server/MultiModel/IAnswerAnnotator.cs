using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RouteLLM.Server;

/// <summary>
/// What <see cref="UpstreamForwarder"/> adds to an upstream's answer (headers, fields of the body and of every stream
/// chunk) and what it learns from it (the upstream's <c>usage</c>), for one routing decision.
/// </summary>
internal interface IAnswerAnnotator
{
    /// <summary>Sets the routing headers of the response to the client, before its first byte.</summary>
    void SetHeaders(IHeaderDictionary headers, Upstream upstream);

    /// <summary>Writes fields of the answer's top-level object (after <c>model</c>), in the body or in each chunk.</summary>
    void WriteFields(Utf8JsonWriter writer, Upstream upstream);

    /// <summary>Reads the answer's body, or each stream chunk, as the upstream sent it.</summary>
    void Observe(JsonElement answer);
}
