using System.Text.Json;
using RouteLLM.MLNet.Data;

namespace RouteLLM.MLNet.Catalogue;

/// <summary>
/// Reads the <c>Models</c> section of a routellm.json file (at the root or under <c>RouteLLM</c>): an array of
/// objects with <see cref="CatalogueModel"/>'s properties (names compared case-insensitively, as configuration does).
/// </summary>
internal static class ModelCatalogueJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static ModelCatalogue Read(string path)
    {
        using var stream = File.OpenRead(DataLayout.RequireFile(path));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, (e.LineNumber ?? -1) + 1, null, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var (section, name) = Section(document.RootElement, path);
            var entries = new List<(CatalogueModel, long, string)>();
            var index = 0;
            foreach (var element in section.EnumerateArray())
            {
                var prefix = $"{name}[{index++}].";
                try
                {
                    entries.Add((element.Deserialize<CatalogueModel>(Options) ?? throw new JsonException("null entry"), 0, prefix));
                }
                catch (JsonException e)
                {
                    throw new DataFormatException(path, 0, prefix.TrimEnd('.'), $"not a model entry: {e.Message}", e);
                }
            }

            return ModelCatalogue.Create(entries, path, csvNames: false);
        }
    }

    private static (JsonElement Section, string Name) Section(JsonElement root, string path)
    {
        foreach (var (parent, name) in new[] { (root, "Models"), (Child(root, "RouteLLM"), "RouteLLM.Models") })
        {
            if (Child(parent, "Models") is { ValueKind: JsonValueKind.Array } models)
            {
                return (models, name);
            }
        }

        throw new DataFormatException(path, 0, "Models", "no 'Models' array at the root or under 'RouteLLM'");
    }

    private static JsonElement Child(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
        }

        return default;
    }
}
