using Microsoft.Extensions.Options;

namespace RouteLLM.Server.Limits;

/// <summary>Checks the limits at start, so that a server with a meaningless limit never starts.</summary>
internal sealed class ServerLimitsOptionsValidator : IValidateOptions<ServerLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerLimitsOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, value, least) in new[]
        {
            (nameof(options.RequestsPerMinute), options.RequestsPerMinute, 1),
            (nameof(options.FailedAuthenticationsPerMinute), options.FailedAuthenticationsPerMinute, 1),
            (nameof(options.MaxConcurrentRequests), options.MaxConcurrentRequests, 1),
            (nameof(options.QueueLength), options.QueueLength, 0),
        })
        {
            if (value < least)
            {
                failures.Add($"{ServerLimitsOptions.SectionName}:{setting} must be at least {least}, not {value}");
            }
        }

        if (options.AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{ServerLimitsOptions.SectionName}:{nameof(options.AllowedHosts)} holds an empty host");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
