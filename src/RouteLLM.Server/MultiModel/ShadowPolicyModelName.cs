using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// Shadow names of multi-model policies: <c>shadow-NAME-KIND-NUMBER-to-MODEL</c>, e.g. <c>shadow-mf-wtp-50-to-gpt-4</c>.
/// The request is ranked as <c>router-NAME-KIND-NUMBER</c> would rank it (<see cref="PolicyModelName"/>), and the
/// decision logged, but it is sent to MODEL, one of the models the server routes among (its upstream's model, catalogue
/// name or alias). MODEL and NAME may contain '-' (and "-to-"): the name is read at each served model's spelling it ends
/// with, where what comes before reads as a policy; a name that reads more than one way is refused.
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
    /// <param name="served">The models routed among (none when the server has no upstreams).</param>
    /// <param name="router">The router's name.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="target">The catalogue name of the model every request goes to.</param>
    /// <param name="error">What is wrong with the name, naming the <c>model</c> field.</param>
    public static bool IsShadowPolicyName(
        string model, ServedModels served, out string router, out ModelPolicy policy, out string target, out OpenAIError? error)
    {
        router = "";
        policy = default;
        target = "";
        error = null;
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Read at the few served spellings rather than at every "-to-", so that the work grows with the name's length
        // (times the number of spellings), whatever a client puts in it.
        var rest = model[Prefix.Length..];
        var readings = new List<(string Router, ModelPolicy Policy, string Target)>();
        OpenAIError? badPolicy = null;
        foreach (var spelling in served.Spellings)
        {
            var at = rest.Length - spelling.Length - To.Length;
            if (at <= 0 || !rest.EndsWith(To + spelling, StringComparison.OrdinalIgnoreCase)
                || !PolicyModelName.ReadsAsPolicy(model, rest[..at], out var name, out var kind, out var invalid))
            {
                continue;
            }

            if (invalid is not null)
            {
                badPolicy ??= invalid;
            }
            else if (served.Router!.TryResolve(spelling, out var resolved) && !readings.Contains((name, kind, resolved)))
            {
                readings.Add((name, kind, resolved));
            }
        }

        if (readings.Count == 1)
        {
            (router, policy, target) = readings[0];
            return true;
        }

        error = readings.Count > 1
            ? OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}' is ambiguous: it reads as {string.Join(" and as ", readings.OrderBy(r => r.Router.Length).Select(r => $"router '{r.Router}' {r.Policy} to '{r.Target}'"))}.",
                "model",
                "invalid_model_name")
            : badPolicy ?? Unreadable(model, rest, served);
        return error is not null;
    }

    // Why a name that ends in no served model fails, or null when it is no policy at all. It is read at the first "-to-"
    // after the first "-wtp-", "-budget-" or "-floor-": right for any name whose router has no "-to-" after such a part.
    private static OpenAIError? Unreadable(string model, string rest, ServedModels served)
    {
        if (!PolicyModelName.ReadsAsPolicy(model, rest, out _, out _, out _))
        {
            return null;
        }

        var kindAt = PolicyModelName.FirstKind(rest);
        var to = rest.IndexOf(To, kindAt + 1, StringComparison.Ordinal);
        if (to < 0)
        {
            return OpenAIError.BadRequest(
                $"Model '{OpenAIError.Quote(model)}' names no model to send to: use shadow-<router>-<policy>-to-<model> (e.g. shadow-mf-wtp-50-to-{served.Router?.Models[0] ?? "gpt-4"}).",
                "model",
                "invalid_model_name");
        }

        PolicyModelName.ReadsAsPolicy(model, rest[..to], out _, out _, out var invalid);
        return invalid
            ?? (served.Router is null ? MultiModelChatCompletions.NoUpstreams(model)
            : new OpenAIError(
                StatusCodes.Status404NotFound,
                $"Model '{OpenAIError.Quote(model)}' sends to '{OpenAIError.Quote(rest.AsSpan(to + To.Length))}', which this server does not route among. Models: {string.Join(", ", served.Router.Models)}.",
                Param: "model",
                Code: "model_not_found"));
    }
}
