using Microsoft.Extensions.Options;

namespace RouteLLM.Server;

/// <summary>Checks the server's options at start, so that a misconfigured server never starts.</summary>
internal sealed class RouteLLMServerOptionsValidator : IValidateOptions<RouteLLMServerOptions>
{
    // Failures are joined with "; " into one message, so each is a clause without a full stop.
    public ValidateOptionsResult Validate(string? name, RouteLLMServerOptions options)
    {
        var failures = new List<string>();
        if (!ModelUpstreams.PairOmitted(options))
        {
            CheckUpstream(nameof(options.Strong), options.Strong, failures);
            CheckUpstream(nameof(options.Weak), options.Weak, failures);
        }

        foreach (var (setting, value) in new[]
        {
            (nameof(options.UpstreamTimeout), options.UpstreamTimeout),
            (nameof(options.StreamIdleTimeout), options.StreamIdleTimeout),
            (nameof(options.ConnectTimeout), options.ConnectTimeout),
            (nameof(options.DrainTimeout), options.DrainTimeout),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{RouteLLMServerOptions.SectionName}:{setting} must be positive, not {value}");
            }
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add($"{RouteLLMServerOptions.SectionName}:{nameof(options.MaxRequestBodyBytes)} must be positive");
        }

        if (options.ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{RouteLLMServerOptions.SectionName}:{nameof(options.ApiKeys)} holds an empty key");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void CheckUpstream(string side, UpstreamOptions upstream, List<string> failures)
    {
        var prefix = $"{RouteLLMServerOptions.SectionName}:{side}";
        if (!Uri.TryCreate(upstream.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failures.Add($"{prefix}:BaseUrl must be an absolute http(s) URL, e.g. https://api.openai.com/v1 (got '{upstream.BaseUrl}')");
        }

        if (string.IsNullOrWhiteSpace(upstream.Model))
        {
            failures.Add($"{prefix}:Model is required (the model name sent upstream)");
        }
    }
}
