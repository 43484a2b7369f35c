using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// A multi-model decision's answer from one of its candidates: the <c>x-routellm-*</c> headers, the <c>routellm</c>
/// object in the body and in every stream chunk, and the token counts of the upstream's <c>usage</c>.
/// </summary>
internal sealed class ModelAnswer(ModelRanking ranking, ModelCandidate answering, ServedModels models) : IAnswerAnnotator
{
    /// <summary>The upstream's <c>usage.prompt_tokens</c>, once seen.</summary>
    public int? PromptTokens { get; private set; }

    /// <summary>The upstream's <c>usage.completion_tokens</c>, once seen.</summary>
    public int? CompletionTokens { get; private set; }

    public void SetHeaders(IHeaderDictionary headers, Upstream upstream)
    {
        headers[RouteLLMServer.ModelHeader] = upstream.Model;
        headers[RouteLLMServer.RouteHeader] = models.UpstreamOf(ranking.Choice.Model).Model;
        headers[ModelHeaders.Policy] = ranking.Policy.ToString();
        headers[ModelHeaders.PredictedQuality] = Number(answering.PredictedQuality);
        headers[ModelHeaders.EstimatedCost] = Number(answering.EstimatedCostUsd);
        headers[ModelHeaders.MostExpensiveCost] = Number(ranking.MostExpensiveCostUsd);
    }

    public void WriteFields(Utf8JsonWriter writer, Upstream upstream)
    {
        writer.WriteStartObject("routellm");
        writer.WriteString("router", ranking.Router.Name);
        writer.WriteString("policy", ranking.Policy.ToString());
        if (ranking.Lambda is { } lambda && double.IsFinite(lambda))
        {
            writer.WriteNumber("lambda", lambda);
        }

        writer.WriteString("route", models.UpstreamOf(ranking.Choice.Model).Model);
        writer.WriteString("model", upstream.Model);
        writer.WriteNumber("predicted_quality", answering.PredictedQuality);
        writer.WriteNumber("estimated_cost_usd", answering.EstimatedCostUsd);
        writer.WriteNumber("most_expensive_cost_usd", ranking.MostExpensiveCostUsd);
        writer.WriteEndObject();
    }

    public void Observe(JsonElement answer)
    {
        if (answer.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            PromptTokens = Count(usage, "prompt_tokens") ?? PromptTokens;
            CompletionTokens = Count(usage, "completion_tokens") ?? CompletionTokens;
        }
    }

    private static int? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0 ? count : null;

    private static string Number(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture);
}
