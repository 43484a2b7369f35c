using System.CommandLine;
using RouteLLM.MLNet.Catalogue;
using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    private static Option<FileInfo?> CatalogueOption() => new("--catalogue")
    {
        Description = "Model catalogue (catalogue.csv, or routellm.json's Models): its aliases put the models of battles, gold and scores under their catalogue names; the zip records which catalogue models it knows.",
    };

    /// <summary>
    /// The names of <c>--catalogue</c>: the data readers put every model of battles, gold and scores under its catalogue
    /// name, so that models spelled differently in different files meet. Without a catalogue, the built-in aliases apply.
    /// </summary>
    private sealed class CatalogueNames
    {
        private static readonly CatalogueNames None = new(null, "");

        private readonly ModelCatalogue? _catalogue;
        private readonly string _path;

        private CatalogueNames(ModelCatalogue? catalogue, string path) => (_catalogue, _path) = (catalogue, path);

        /// <summary>Reads <c>--catalogue</c>; a bad catalogue stops the command with its file, line and field.</summary>
        public static CatalogueNames Read(ParseResult result, Option<FileInfo?> option) =>
            result.GetValue(option) is { } file ? new(ModelCatalogue.Read(file.FullName), file.FullName) : None;

        public string Canonical(string model) => _catalogue is null ? model : _catalogue.Aliases.Canonical(model);

        /// <summary>Options for the data readers: with a catalogue, its aliases replace the built-in ones.</summary>
        public DataReadOptions ReadOptions(DataReadOptions options)
        {
            if (_catalogue is not null)
            {
                options.Aliases = _catalogue.Aliases;
            }

            return options;
        }

        /// <summary>
        /// Reports the catalogue models the router never saw (not an error: a catalogue may list more than one data set
        /// shows) and records in the zip's manifest the catalogue and the catalogue models the router knows.
        /// </summary>
        public RouterModel Record(RouterModel model)
        {
            if (_catalogue is null)
            {
                return model;
            }

            var known = new HashSet<string>(model.QualityModels.Concat(model.Manifest.Models), StringComparer.OrdinalIgnoreCase);
            var catalogueModels = _catalogue.Models.Select(m => m.Model).ToArray();
            var unseen = catalogueModels.Where(m => !known.Contains(m)).ToArray();
            if (unseen.Length > 0)
            {
                Console.WriteLine($"{unseen.Length} catalogue models are in no training file, so the router does not know them: {string.Join(", ", unseen)}");
            }

            return model.WithTrainingOptions(new Dictionary<string, string>
            {
                ["catalogue"] = Path.GetFileName(_path),
                ["catalogue.known_models"] = string.Join(", ", catalogueModels.Where(known.Contains)),
                ["catalogue.unseen_models"] = string.Join(", ", unseen),
            });
        }
    }
}
