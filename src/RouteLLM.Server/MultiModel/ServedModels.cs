using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Extensions;

namespace RouteLLM.Server;

/// <summary>
/// The models the server routes policy names among: the catalogue that prices them, the <see cref="MultiModelRouter"/>
/// that ranks them and the upstream of each. Built at start, so that a model without a price stops the server.
/// </summary>
internal sealed partial class ServedModels
{
    private readonly Dictionary<string, Upstream> _upstreams = new(StringComparer.OrdinalIgnoreCase);

    /// <exception cref="InvalidOperationException">The catalogue is missing or malformed, or an upstream's model is not in it.</exception>
    public ServedModels(
        UpstreamForwarder forwarder,
        ModelPrices prices,
        IOptions<RouterPoolOptions> routerOptions,
        RouterPool routers,
        ILogger<ServedModels> logger)
    {
        var upstreams = forwarder.Models.All;
        if (upstreams.Count == 0)
        {
            return;
        }

        Catalogue = prices.Catalogue ?? throw new InvalidOperationException(
            $"{RouteLLMServerOptions.SectionName}:{nameof(RouteLLMServerOptions.Upstreams)} needs the models' prices: set RouteLLM:Models (entries as in catalogue.csv) or RouteLLM:Catalogue (a catalogue file, routellm serve --catalogue).");
        for (var i = 0; i < upstreams.Count; i++)
        {
            // The forwarder priced every upstream from this catalogue, so each has its entry.
            var entry = upstreams[i].Price!;
            if (!_upstreams.TryAdd(entry.Model, upstreams[i]))
            {
                throw new InvalidOperationException(
                    $"{RouteLLMServerOptions.SectionName}:{nameof(RouteLLMServerOptions.Upstreams)}:{i}:Model '{upstreams[i].Model}' is catalogue model '{entry.Model}', which another upstream serves already.");
            }
        }

        Spellings = [.. _upstreams
            .SelectMany(u => u.Value.Price!.Aliases.Prepend(u.Key).Append(u.Value.Model))
            .Select(name => name.Trim())
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
        var calibration = routerOptions.Value.Routers
            .Where(r => !string.IsNullOrWhiteSpace(r.Value.CalibrationPrompts))
            .ToDictionary(r => r.Key, r => Path.GetFullPath(r.Value.CalibrationPrompts!), StringComparer.Ordinal);
        Router = new MultiModelRouter(Catalogue, _upstreams.Keys, calibration);
        foreach (var name in routers.Names)
        {
            var scored = routers.Get(name).Scorer.Model.QualityModels.Select(m => Router.TryResolve(m, out var model) ? model : null).ToHashSet();
            var unscored = Router.Models.Where(m => !scored.Contains(m)).ToList();
            if (unscored.Count > 0)
            {
                LogUnscored(logger, name, string.Join(", ", unscored));
            }
        }
    }

    /// <summary>Ranks the models; null when no upstreams are configured.</summary>
    public MultiModelRouter? Router { get; }

    /// <summary>The prices; null when no upstreams are configured.</summary>
    public ModelCatalogue? Catalogue { get; }

    /// <summary>Every name a served model answers to: its upstream model, catalogue name and aliases; empty without upstreams.</summary>
    public IReadOnlyList<string> Spellings { get; } = [];

    /// <summary>The upstream that serves a catalogue model.</summary>
    public Upstream UpstreamOf(string catalogueModel) => _upstreams[catalogueModel];

    /// <summary>A request's cost on a catalogue model in USD, from the upstream's token counts.</summary>
    public double CostUsd(string catalogueModel, int promptTokens, int completionTokens) =>
        RequestCost.Usd(Catalogue!.Find(catalogueModel)!, promptTokens, completionTokens);

    [LoggerMessage(30, LogLevel.Warning, "Router '{Router}' never saw {Models}: its policy names route among the other models.")]
    private static partial void LogUnscored(ILogger logger, string router, string models);
}
