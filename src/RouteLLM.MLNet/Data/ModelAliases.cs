namespace RouteLLM.MLNet.Data;

/// <summary>
/// Maps the several spellings of one model to a single canonical name, Chatbot Arena's spelling.
/// RouteLLM's benchmark files say <c>mistralai/Mixtral-8x7B-Instruct-v0.1</c> where the battles say
/// <c>mixtral-8x7b-instruct-v0.1</c>; without this, a router trained on one could not score the other.
/// The one alias table of the library: a model catalogue's aliases (<c>ModelCatalogue.Aliases</c>) are one too.
/// </summary>
public sealed class ModelAliases
{
    private readonly Dictionary<string, string> _canonical;

    /// <summary>The aliases RouteLLM's public data needs.</summary>
    public static ModelAliases Default { get; } = new(new Dictionary<string, string>
    {
        ["mistralai/Mixtral-8x7B-Instruct-v0.1"] = "mixtral-8x7b-instruct-v0.1",
        ["Mixtral-8x7B-Instruct-v0.1"] = "mixtral-8x7b-instruct-v0.1",
        ["mistralai/mixtral-8x7b-instruct"] = "mixtral-8x7b-instruct-v0.1",
    });

    /// <summary>Creates a table from alias → canonical name pairs (compared case-insensitively).</summary>
    /// <param name="aliases">Each key is an alias, each value the canonical name it stands for.</param>
    public ModelAliases(IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        _canonical = new Dictionary<string, string>(aliases, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The canonical name of <paramref name="model"/>; a name with no alias is its own canonical name.</summary>
    /// <param name="model">A model name in any known spelling.</param>
    public string Canonical(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var trimmed = model.Trim();
        return _canonical.TryGetValue(trimmed, out var canonical) ? canonical : trimmed;
    }

    /// <summary>True when both names denote the same model.</summary>
    /// <param name="a">A model name.</param>
    /// <param name="b">Another model name.</param>
    public bool AreSame(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.OrdinalIgnoreCase);
}
