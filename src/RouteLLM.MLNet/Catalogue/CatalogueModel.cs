namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// One model a deployment may call: its name, other spellings of it, and its prices. Settable so that configuration
/// (routellm.json's <c>Models</c> array) can bind it; <see cref="ModelCatalogue.Create(IEnumerable{CatalogueModel}, string)"/> checks every value.
/// </summary>
public sealed class CatalogueModel
{
    /// <summary>The model's canonical name (catalogue.csv's <c>model</c>).</summary>
    public string Model { get; set; } = "";

    /// <summary>Other spellings of the model in data files and routers (catalogue.csv's <c>aliases</c>, <c>|</c>-separated).</summary>
    public IList<string> Aliases { get; set; } = [];

    /// <summary>USD per million prompt tokens (catalogue.csv's <c>input_usd_per_mtok</c>).</summary>
    public double InputUsdPerMTok { get; set; } = double.NaN;

    /// <summary>USD per million answer tokens (catalogue.csv's <c>output_usd_per_mtok</c>).</summary>
    public double OutputUsdPerMTok { get; set; } = double.NaN;

    /// <summary>Typical answer length in characters (catalogue.csv's <c>avg_output_chars</c>).</summary>
    public double AvgOutputChars { get; set; } = double.NaN;
}
