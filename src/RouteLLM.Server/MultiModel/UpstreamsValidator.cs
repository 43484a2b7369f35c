using Microsoft.Extensions.Options;

namespace RouteLLM.Server;

/// <summary>
/// Checks <see cref="RouteLLMServerOptions.Upstreams"/> at start (each as the strong and weak upstreams are checked,
/// one upstream per model) and that every upstream's <see cref="UpstreamOptions.ApiKeyVariable"/> is set.
/// </summary>
internal sealed class UpstreamsValidator : IValidateOptions<RouteLLMServerOptions>
{
    public ValidateOptionsResult Validate(string? name, RouteLLMServerOptions options)
    {
        var failures = new List<string>();
        var models = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Upstreams.Count; i++)
        {
            var upstream = options.Upstreams[i];
            RouteLLMServerOptionsValidator.CheckUpstream($"{nameof(options.Upstreams)}:{i}", upstream, failures);
            if (!string.IsNullOrWhiteSpace(upstream.Model) && !models.Add(upstream.Model))
            {
                failures.Add($"{RouteLLMServerOptions.SectionName}:{nameof(options.Upstreams)}:{i}:Model '{upstream.Model}' has another upstream already; one upstream per model");
            }
        }

        var named = options.Upstreams.Select((u, i) => ($"{nameof(options.Upstreams)}:{i}", u)).ToList();
        if (!ModelUpstreams.PairOmitted(options))
        {
            named.AddRange([(nameof(options.Strong), options.Strong), (nameof(options.Weak), options.Weak)]);
        }

        foreach (var (setting, upstream) in named)
        {
            if (string.IsNullOrEmpty(upstream.ApiKey) && !string.IsNullOrEmpty(upstream.ApiKeyVariable) && upstream.ResolveApiKey() is null)
            {
                failures.Add($"{RouteLLMServerOptions.SectionName}:{setting}:ApiKeyVariable names environment variable '{upstream.ApiKeyVariable}', which is not set");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
