using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// Shadow names of multi-model policies: <c>shadow-NAME-KIND-NUMBER-to-MODEL</c>, e.g. <c>shadow-mf-wtp-50-to-gpt-4</c>.
/// The request is ranked as <c>router-NAME-KIND-NUMBER</c> would rank it (<see cref="PolicyModelName"/>), and the
/// decision logged, but it is sent to MODEL, one of the models the server routes among (its upstream's model, catalogue
/// name or alias). MODEL and NAME may contain '-' (and "-to-"): the name is split at each "-to-" and read where the
/// left part is a policy and the right part a served model; a name that reads more than one way is refused.
/// </summary>
internal static class ShadowPolicyModelName
{
    private const string Prefix = "shadow-";
    private const string To = "-to-";

    /// <summary>
    /// Whether <paramref name="model"/> is a policy's shadow name (<c>shadow-</c> and a policy, with or without its
    /// <c>-to-MODEL</c>). When it is, either the router, policy and <paramref name="target"/> (a catalogue model of
    /// <paramref name="served"/>) are set, or <paramref name="error"/> says what is wrong; any other name is left to the
    /// other parsers.
    /// </summary>
    /// <param name="model">The requested model name.</param>
    /// <param name="served">The models routed among; null when the server has no upstreams.</param>
    /// <param name="router">The router's name.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="target">The catalogue name of the model every request goes to.</param>
    /// <param name="error">What is wrong with the name, naming the <c>model</c> field.</param>
    public static bool IsShadowPolicyName(
        string model, MultiModelRouter? served, out string router, out ModelPolicy policy, out string target, out OpenAIError? error)
    {
        router = "";
        policy = default;
        target = "";
        error = null;
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = model[Prefix.Length..];
        var readings = new List<(string Router, ModelPolicy Policy, string Target)>();
        OpenAIError? badPolicy = null;
        string? unknownModel = null;
        for (var at = rest.IndexOf(To, StringComparison.Ordinal); at > 0; at = rest.IndexOf(To, at + 1, StringComparison.Ordinal))
        {
            if (!PolicyModelName.ReadsAsPolicy(model, rest[..at], out var name, out var kind, out var invalid))
            {
                continue;
            }

            var spelling = rest[(at + To.Length)..];
            if (invalid is not null)
            {
                badPolicy ??= invalid;
            }
            else if (served is not null && served.TryResolve(spelling, out var resolved))
            {
                readings.Add((name, kind, resolved));
            }
            else
            {
                unknownModel ??= spelling;
            }
        }

        if (readings.Count == 0 && badPolicy is null && unknownModel is null)
        {
            // No "-to-" follows a policy: a policy name under the shadow prefix that names no model, or not a policy at all.
            if (!PolicyModelName.ReadsAsPolicy(model, rest, out _, out _, out _))
            {
                return false;
            }

            error = OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}' names no model to send to: use shadow-<router>-<policy>-to-<model> (e.g. shadow-mf-wtp-50-to-{served?.Models[0] ?? "gpt-4"}).",
                "model",
                "invalid_model_name");
            return true;
        }

        error = readings.Count switch
        {
            1 => null,
            > 1 => OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}' is ambiguous: it reads as {string.Join(" and as ", readings.Select(r => $"router '{r.Router}' {r.Policy} to '{r.Target}'"))}.",
                "model",
                "invalid_model_name"),
            _ when unknownModel is null => badPolicy,
            _ when served is null => MultiModelChatCompletions.NoUpstreams(model),
            _ => new OpenAIError(
                StatusCodes.Status404NotFound,
                $"Model '{OpenAIError.Quote(model)}' sends to '{OpenAIError.Quote(unknownModel)}', which this server does not route among. Models: {string.Join(", ", served.Models)}.",
                Param: "model",
                Code: "model_not_found"),
        };
        (router, policy, target) = readings.Count == 1 ? readings[0] : ("", default, "");
        return true;
    }
}
