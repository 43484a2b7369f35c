using Microsoft.Extensions.Options;
using RouteLLM.MLNet.Catalogue;

namespace RouteLLM.Server;

/// <summary>
/// The server's one price source: the catalogue of <see cref="RouteLLMModelsOptions"/>, read once. It prices every
/// answer (spend counters, budgets, cost metrics, <c>x-routellm-cost-usd</c>, the decision log) and ranks policy names.
/// </summary>
internal sealed class ModelPrices
{
    private readonly Lazy<ModelCatalogue?> _catalogue;

    public ModelPrices(IOptions<RouteLLMModelsOptions> options) =>
        _catalogue = new Lazy<ModelCatalogue?>(options.Value.ReadCatalogue);

    /// <summary>The catalogue; null when neither <c>RouteLLM:Models</c> nor <c>RouteLLM:Catalogue</c> is set.</summary>
    /// <exception cref="InvalidOperationException">Both are set, or the catalogue is malformed.</exception>
    public ModelCatalogue? Catalogue => _catalogue.Value;

    /// <summary>
    /// The catalogue entry of the model an upstream serves; null when there is no catalogue (answers are then counted in
    /// tokens only).
    /// </summary>
    /// <param name="setting">The upstream's configuration key, named in the error.</param>
    /// <param name="model">The upstream's model.</param>
    /// <exception cref="InvalidOperationException">There is a catalogue and the model is not in it.</exception>
    public CatalogueModel? Of(string setting, string model)
    {
        if (Catalogue is not { } catalogue || string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        return catalogue.Find(model) ?? throw new InvalidOperationException(
            $"{setting} '{model}' is not in the catalogue, so it has no price; add it (or an alias) to RouteLLM:Models or the RouteLLM:Catalogue file.");
    }
}
