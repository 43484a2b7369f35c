using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;

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

    /// <summary>
    /// Reads the catalogue these options name: the <see cref="Catalogue"/> file, else the <see cref="Models"/> entries;
    /// null when neither is set. The server and <c>routellm label</c> price models with it and nothing else.
    /// </summary>
    /// <exception cref="InvalidOperationException">Both are set, or the catalogue is malformed (the message names the file, line and field).</exception>
    public ModelCatalogue? ReadCatalogue()
    {
        var file = string.IsNullOrWhiteSpace(Catalogue) ? null : Catalogue;
        if (file is not null && Models.Count > 0)
        {
            throw new InvalidOperationException("Both RouteLLM:Catalogue and RouteLLM:Models are set; give the models' prices in one of them.");
        }

        try
        {
            return file is not null ? ModelCatalogue.Read(Path.GetFullPath(file))
                : Models.Count > 0 ? ModelCatalogue.Create(Models, "RouteLLM:Models")
                : null;
        }
        catch (Exception e) when (e is DataFormatException or IOException)
        {
            throw new InvalidOperationException($"The model catalogue could not be read: {e.Message}", e);
        }
    }
}
