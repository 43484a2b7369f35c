using System.Globalization;
using Microsoft.AspNetCore.Http;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// RouteLLM's model-name convention: <c>router-NAME-THRESHOLD</c> (e.g. <c>router-mf-0.11593</c>) routes at a fixed
/// threshold; <c>router-NAME@SHARE</c> (e.g. <c>router-mf@0.5</c>) at the threshold that sends that share of the
/// router's calibration prompts to the strong model. THRESHOLD is the longest decimal number, with its sign and
/// exponent, that ends the name after a '-' (<c>router-mf-1e-4</c> is router <c>mf</c> at 0.0001, <c>router-mf--0.5</c>
/// router <c>mf</c> at -0.5, which is refused); NAME, which may contain '-', is what comes before it.
/// </summary>
internal static class RoutingModelName
{
    private const string Prefix = "router-";
    private const string Usage = "use router-<router>-<threshold> (e.g. router-mf-0.11593) or router-<router>@<strong share> (e.g. router-mf@0.5)";

    public static string Format(string router, RoutingThreshold threshold) =>
        threshold.IsStrongShare ? $"{Prefix}{router}{threshold}" : $"{Prefix}{router}-{threshold}";

    /// <summary>Reads a model name; on failure, <paramref name="error"/> says why in OpenAI's terms, quoting at most a prefix of it.</summary>
    public static bool TryParse(string model, out string router, out RoutingThreshold threshold, out OpenAIError? error)
    {
        router = "";
        threshold = default;
        var quoted = OpenAIError.Quote(model);
        if (!model.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = new OpenAIError(
                StatusCodes.Status404NotFound, $"The model '{quoted}' does not exist: {Usage}.", Param: "model", Code: "model_not_found");
            return false;
        }

        var rest = model.AsSpan(Prefix.Length);
        var at = rest.IndexOf('@');
        var isShare = at >= 0;
        var split = isShare ? at : ThresholdSeparator(rest);
        if (split < 0)
        {
            var last = rest.LastIndexOf('-');
            error = Invalid(last < 0
                ? $"Model '{quoted}' names no threshold: {Usage}."
                : $"Model '{quoted}' does not end in a threshold: '{OpenAIError.Quote(rest[(last + 1)..])}' after its last '-' is not a decimal number; {Usage}.");
            return false;
        }

        var name = rest[..split];
        var number = rest[(split + 1)..];
        var what = isShare ? "strong share" : "threshold";
        if (name.Length == 0)
        {
            error = Invalid($"Model '{quoted}' names no router before its {what}: {Usage}.");
            return false;
        }

        if (!IsDecimalNumber(number))
        {
            error = Invalid(number.Length == 0
                ? $"Model '{quoted}' has nothing after '@': {Usage}."
                : $"Model '{quoted}': the strong share '{OpenAIError.Quote(number)}' is not a decimal number; {Usage}.");
            return false;
        }

        // The grammar above admits only finite decimals; one too large for a double reads as infinity and is refused below.
        var value = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (value is not (>= 0 and <= 1))
        {
            error = OpenAIError.BadRequest($"Model '{quoted}': the {what} {OpenAIError.Quote(number)} is outside [0, 1].", "model", "invalid_threshold");
            return false;
        }

        router = name.ToString();
        threshold = isShare ? RoutingThreshold.ForStrongShare(value) : RoutingThreshold.Fixed(value);
        error = null;
        return true;
    }

    private static OpenAIError Invalid(string message) => OpenAIError.BadRequest(message, "model", "invalid_model_name");

    // The first '-' after which the rest is a decimal number: the longest number ending the name. Each candidate's
    // check stops at its first character outside the grammar, so the scan stays linear in the name's length.
    private static int ThresholdSeparator(ReadOnlySpan<char> rest)
    {
        for (var i = rest.IndexOf('-'); i >= 0; i = rest[(i + 1)..].IndexOf('-') is var next and >= 0 ? i + 1 + next : -1)
        {
            if (IsDecimalNumber(rest[(i + 1)..]))
            {
                return i;
            }
        }

        return -1;
    }

    // [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, in ASCII digits only.
    private static bool IsDecimalNumber(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        var integer = Digits(text, ref i);
        var fraction = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fraction = Digits(text, ref i);
        }

        if (integer + fraction == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int Digits(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
