using RouteLLM.MLNet.Catalogue;

namespace RouteLLM.Server;

/// <summary>
/// The prices of the models the server's <see cref="RouteLLMServerOptions.Upstreams"/> serve: configuration keys
/// <c>RouteLLM:Models</c> (entries as in catalogue.csv) or <c>RouteLLM:Catalogue</c> (a catalogue file), one or the other.
/// </summary>
public sealed class RouteLLMModelsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RouteLLM";

    /// <summary>A catalogue file: catalogue.csv's columns, or a routellm.json with a <c>Models</c> array (<see cref="ModelCatalogue.Read"/>).</summary>
    public string? Catalogue { get; set; }

    /// <summary>The catalogue's entries, in routellm.json: <c>Model</c>, <c>Aliases</c>, <c>InputUsdPerMTok</c>, <c>OutputUsdPerMTok</c>, <c>AvgOutputChars</c>.</summary>
    public IList<CatalogueModel> Models { get; } = new List<CatalogueModel>();
}
