using System.CommandLine;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    private static Option<FileInfo?> ExtendOption(string kept) => new("--extend")
    {
        Description = $"A router zip of this kind to extend: {kept} (its pairs score as before); only the models it does not know are learned.",
    };

    private static TModel? ReadExtended<TModel>(FileInfo? zip, string kind)
        where TModel : RouterModel => zip is null
        ? null
        : RouterZip.Load(zip.FullName) as TModel
            ?? throw new ArgumentException($"--extend {zip.FullName}: not an {kind} router, and `train {kind} --extend` extends only an {kind} router.");
}
