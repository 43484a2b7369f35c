using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// The models a deployment may call, with their aliases and prices, read from <c>catalogue.csv</c> or routellm.json's
/// <c>Models</c> section. Every price is checked when the catalogue is made, and no spelling may name two models.
/// </summary>
public sealed class ModelCatalogue
{
    private readonly Dictionary<string, CatalogueModel> _byName;

    private ModelCatalogue(IReadOnlyList<CatalogueModel> models, ModelAliases aliases)
    {
        Models = models;
        Aliases = aliases;
        _byName = models.ToDictionary(m => m.Model, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The models, in the order given.</summary>
    public IReadOnlyList<CatalogueModel> Models { get; }

    /// <summary>Every alias of every model, mapped to the model's canonical name.</summary>
    public ModelAliases Aliases { get; }

    /// <summary>
    /// Reads a catalogue file: <c>.json</c> as routellm.json (a <c>Models</c> array at the root or under <c>RouteLLM</c>),
    /// anything else as catalogue.csv.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DataFormatException">A row or entry is malformed; the message names the file, line and field.</exception>
    public static ModelCatalogue Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ModelCatalogueJson.Read(path) : ModelCatalogueCsv.Read(path);
    }

    /// <summary>Checks <paramref name="models"/> (e.g. bound from configuration) and makes a catalogue of them.</summary>
    /// <param name="models">The entries.</param>
    /// <param name="source">Where they came from, named in errors (a file or a configuration section).</param>
    /// <exception cref="DataFormatException">An entry has no name, a missing, NaN or negative price, or a spelling that names two models.</exception>
    public static ModelCatalogue Create(IEnumerable<CatalogueModel> models, string source = "Models")
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return Create(models.Select((m, i) => (m, 0L, $"[{i}].")).ToArray(), source, csvNames: false);
    }

    // csvNames: errors name catalogue.csv's columns rather than the properties configuration binds.
    internal static ModelCatalogue Create(IReadOnlyList<(CatalogueModel Model, long Line, string FieldPrefix)> entries, string source, bool csvNames)
    {
        string Field(string prefix, string csv, string property) => prefix + (csvNames ? csv : property);
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, line, prefix) in entries)
        {
            Check(model, source, line, prefix, Field);
            Claim(owner, model.Model, model.Model, source, line, Field(prefix, "model", nameof(CatalogueModel.Model)), isName: true);
        }

        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, line, prefix) in entries)
        {
            foreach (var alias in model.Aliases.Select(a => a.Trim()).Where(a => !string.Equals(a, model.Model, StringComparison.OrdinalIgnoreCase)))
            {
                Claim(owner, alias, model.Model, source, line, Field(prefix, "aliases", nameof(CatalogueModel.Aliases)), isName: false);
                aliases[alias] = model.Model;
            }
        }

        return new ModelCatalogue([.. entries.Select(e => e.Model)], new ModelAliases(aliases));
    }

    /// <summary>The catalogue's entry for <paramref name="model"/> in any of its spellings, or null.</summary>
    /// <param name="model">A model name or alias.</param>
    public CatalogueModel? Find(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return _byName.GetValueOrDefault(Aliases.Canonical(model));
    }

    private static void Check(CatalogueModel model, string source, long line, string prefix, Func<string, string, string, string> field)
    {
        if (string.IsNullOrWhiteSpace(model.Model))
        {
            throw new DataFormatException(source, line, field(prefix, "model", nameof(CatalogueModel.Model)), "the model has no name");
        }

        model.Model = model.Model.Trim();
        model.Aliases ??= [];
        CheckNumber(model.InputUsdPerMTok, source, line, field(prefix, "input_usd_per_mtok", nameof(CatalogueModel.InputUsdPerMTok)), model.Model);
        CheckNumber(model.OutputUsdPerMTok, source, line, field(prefix, "output_usd_per_mtok", nameof(CatalogueModel.OutputUsdPerMTok)), model.Model);
        CheckNumber(model.AvgOutputChars, source, line, field(prefix, "avg_output_chars", nameof(CatalogueModel.AvgOutputChars)), model.Model);
    }

    private static void CheckNumber(double value, string source, long line, string field, string model)
    {
        if (double.IsNaN(value))
        {
            throw new DataFormatException(source, line, field, $"model '{model}' has no {field} (missing or NaN)");
        }

        if (value < 0 || double.IsInfinity(value))
        {
            throw new DataFormatException(source, line, field, $"model '{model}' has {field} {value}; it must be a finite number ≥ 0");
        }
    }

    private static void Claim(Dictionary<string, string> owner, string spelling, string model, string source, long line, string field, bool isName)
    {
        if (owner.TryGetValue(spelling, out var other) && !string.Equals(other, model, StringComparison.Ordinal))
        {
            throw new DataFormatException(source, line, field, $"'{spelling}' already names model '{other}'; a spelling may name one model only");
        }

        if (other is not null && isName)
        {
            throw new DataFormatException(source, line, field, $"model '{spelling}' is listed twice");
        }

        owner[spelling] = model;
    }
}
