namespace RouteLLM.Server;

/// <summary>The upstreams of <see cref="RouteLLMServerOptions.Upstreams"/>, one per model, each named after its model.</summary>
internal sealed class ModelUpstreams : IDisposable
{
    public ModelUpstreams(IEnumerable<UpstreamOptions> options, ModelPrices prices, TimeSpan connectTimeout) =>
        All = [.. options.Select((o, i) => new Upstream(o.Model, o, prices.Of($"{RouteLLMServerOptions.SectionName}:{nameof(RouteLLMServerOptions.Upstreams)}:{i}:Model", o.Model), connectTimeout))];

    /// <summary>The upstreams, in configuration order.</summary>
    public IReadOnlyList<Upstream> All { get; }

    /// <summary>Their keys, for redaction.</summary>
    public IEnumerable<string?> ApiKeys => All.Select(u => u.ApiKey);

    /// <summary>Whether the strong/weak pair is left out of a configuration that has upstreams: nothing of either is set.</summary>
    public static bool PairOmitted(RouteLLMServerOptions options) =>
        options.Upstreams.Count > 0
        && new[] { options.Strong, options.Weak }.All(u => string.IsNullOrEmpty(u.BaseUrl) && string.IsNullOrEmpty(u.Model));

    public void Dispose()
    {
        foreach (var upstream in All)
        {
            upstream.Dispose();
        }
    }
}
