using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

internal sealed partial class UpstreamForwarder
{
    /// <summary>A strong/weak decision's answer: the routing headers, and the body as the upstream sent it.</summary>
    private sealed class PairAnswer(RoutingDecision decision) : IAnswerAnnotator
    {
        public void SetHeaders(IHeaderDictionary headers, Upstream upstream) => SetRoutingHeaders(headers, decision, upstream);

        public void WriteFields(Utf8JsonWriter writer, Upstream upstream)
        {
        }

        public void Observe(JsonElement answer)
        {
        }
    }
}
