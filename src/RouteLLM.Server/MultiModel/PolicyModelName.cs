using System.Globalization;
using System.Text.RegularExpressions;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// The model names of multi-model policies, beside RouteLLM's <c>router-NAME-THRESHOLD</c>:
/// <c>router-NAME-wtp-LAMBDA</c> (willingness to pay, quality per USD), <c>router-NAME-budget-USD</c> (a mean cost per
/// request) and <c>router-NAME-floor-X</c> (the cheapest model within X of the best predicted quality). Numbers are
/// plain decimals (<c>50</c>, <c>0.002</c>): no sign, exponent, spaces or leading dot.
/// </summary>
internal static partial class PolicyModelName
{
    private const string Prefix = "router-";

    private static readonly string[] Kinds = ["wtp", "budget", "floor"];

    public static string Format(string router, ModelPolicy policy) => $"{Prefix}{router}-{policy}";

    /// <summary>
    /// Whether <paramref name="model"/> is a policy name: <c>router-NAME-KIND-NUMBER</c> with KIND <c>wtp</c>,
    /// <c>budget</c> or <c>floor</c>. When it is, either <paramref name="policy"/> is set or <paramref name="error"/> says
    /// what is wrong with the number; any other name is left to <see cref="RoutingModelName"/>.
    /// </summary>
    public static bool IsPolicyName(string model, out string router, out ModelPolicy policy, out OpenAIError? error)
    {
        router = "";
        policy = default;
        error = null;
        return model.StartsWith(Prefix, StringComparison.Ordinal) && ReadsAsPolicy(model, model[Prefix.Length..], out router, out policy, out error);
    }

    /// <summary>
    /// Whether <paramref name="text"/> reads <c>NAME-KIND-NUMBER</c>, the part of a policy name after its prefix; if so,
    /// either <paramref name="policy"/> is set or <paramref name="error"/>, which quotes the whole <paramref name="model"/>.
    /// </summary>
    public static bool ReadsAsPolicy(string model, string text, out string router, out ModelPolicy policy, out OpenAIError? error)
    {
        router = "";
        policy = default;
        error = null;

        // The last "-wtp-", "-budget-" or "-floor-" splits the router's name from the number, whatever follows it.
        var (kind, kindAt) = Kinds.Select(k => (k, text.LastIndexOf($"-{k}-", StringComparison.Ordinal))).MaxBy(k => k.Item2);
        if (kindAt <= 0)
        {
            return false;
        }

        var number = text[(kindAt + kind.Length + 2)..];
        if (!PlainDecimal().IsMatch(number))
        {
            error = OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}': '{OpenAIError.Quote(number)}' is not a plain decimal number (e.g. 50 or 0.002).", "model", "invalid_model_name");
            return true;
        }

        var value = double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        try
        {
            policy = kind switch
            {
                "wtp" => ModelPolicy.WillingnessToPay(value),
                "budget" => ModelPolicy.Budget(value),
                _ => ModelPolicy.QualityFloor(value),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            error = OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}': {kind} {number} is out of range ({(kind == "floor" ? "a quality margin in [0, 1]" : kind == "budget" ? "USD per request > 0" : "quality per USD ≥ 0")}).",
                "model",
                "invalid_policy");
            return true;
        }

        router = text[..kindAt];
        return true;
    }

    /// <summary>Where the first <c>-wtp-</c>, <c>-budget-</c> or <c>-floor-</c> of <paramref name="text"/> starts; -1 when none does.</summary>
    public static int FirstKind(string text) =>
        Kinds.Select(k => text.IndexOf($"-{k}-", StringComparison.Ordinal)).Where(at => at >= 0).DefaultIfEmpty(-1).Min();

    /// <summary>
    /// For a policy name, or a policy's shadow name (<see cref="ShadowPolicyModelName"/>), listed in <c>Server:Models</c>,
    /// its router; null for any other name.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The name is malformed, names an unknown router or (a shadow name) a model not routed among, or budgets without
    /// calibration prompts.
    /// </exception>
    public static string? CheckListed(string model, RouterPool routers, ServedModels served)
    {
        if (!IsPolicyName(model, out var router, out var policy, out var error)
            && !ShadowPolicyModelName.IsShadowPolicyName(model, served, out router, out policy, out _, out error))
        {
            return null;
        }

        var setting = $"{RouteLLMServerOptions.SectionName}:{nameof(RouteLLMServerOptions.Models)}";
        return error is not null ? throw new InvalidOperationException($"{setting}: {error.Message}")
            : !routers.TryGet(router, out var pooled) ? throw new InvalidOperationException($"{setting}: '{model}' names router '{router}', which is not configured.")
            : policy.Kind == ModelPolicyKind.Budget && pooled.CalibrationPromptCount == 0 ? throw new InvalidOperationException($"{setting}: '{model}' needs calibration prompts for router '{router}'.")
            : router;
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,15})(\.[0-9]{1,15})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainDecimal();
}
