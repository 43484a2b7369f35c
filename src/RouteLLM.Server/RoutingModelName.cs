using System.Globalization;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// RouteLLM's model-name convention: <c>router-NAME-THRESHOLD</c> (e.g. <c>router-mf-0.11593</c>) routes at a fixed
/// threshold; <c>router-NAME@SHARE</c> (e.g. <c>router-mf@0.5</c>) at the threshold that sends that share of the
/// router's calibration prompts to the strong model. NAME may contain '-': the threshold follows the last one.
/// </summary>
internal static class RoutingModelName
{
    private const string Prefix = "router-";

    public static string Format(string router, RoutingThreshold threshold) =>
        threshold.IsStrongShare ? $"{Prefix}{router}{threshold}" : $"{Prefix}{router}-{threshold}";

    /// <summary>Reads a model name; on failure, <paramref name="error"/> says why in OpenAI's terms.</summary>
    public static bool TryParse(string model, out string router, out RoutingThreshold threshold, out OpenAIError? error)
    {
        router = "";
        threshold = default;
        error = null;
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = new OpenAIError(
                StatusCodes.Status404NotFound,
                $"The model '{model}' does not exist. Use router-<router>-<threshold> (e.g. router-mf-0.11593) or router-<router>@<strong share> (e.g. router-mf@0.5).",
                Param: "model",
                Code: "model_not_found");
            return false;
        }

        var rest = model.AsSpan(Prefix.Length);
        var at = rest.LastIndexOf('@');
        var isShare = at >= 0;
        var split = isShare ? at : rest.LastIndexOf('-');
        if (split <= 0 || split == rest.Length - 1)
        {
            error = OpenAIError.BadRequest(
                $"Model '{model}' names no threshold: use router-<router>-<threshold> or router-<router>@<strong share>.", "model", "invalid_model_name");
            return false;
        }

        var number = rest[(split + 1)..];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
        {
            error = OpenAIError.BadRequest($"Model '{model}': '{number}' is not a number.", "model", "invalid_model_name");
            return false;
        }

        if (value is not (>= 0 and <= 1))
        {
            error = OpenAIError.BadRequest(
                $"Model '{model}': the {(isShare ? "strong share" : "threshold")} {number} is outside [0, 1].", "model", "invalid_threshold");
            return false;
        }

        router = rest[..split].ToString();
        threshold = isShare ? RoutingThreshold.ForStrongShare(value) : RoutingThreshold.Fixed(value);
        return true;
    }
}
