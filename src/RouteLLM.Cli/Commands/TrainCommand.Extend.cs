using System.CommandLine;
using RouteLLM.MLNet.Routers;
using RouteLLM.MLNet.Routers.MatrixFactorization;

namespace RouteLLM.Cli.Commands;

internal static partial class TrainCommand
{
    private static Option<FileInfo?> ExtendOption() => new("--extend")
    {
        Description = "An mf router zip to extend: its prompt tower and the vectors of its models are kept exactly (its pairs score as before); only the models it does not know are learned.",
    };

    private static MatrixFactorizationRouterModel? ReadExtended(FileInfo? zip) => zip is null
        ? null
        : RouterZip.Load(zip.FullName) as MatrixFactorizationRouterModel
            ?? throw new ArgumentException($"--extend {zip.FullName}: not an mf router, and only an mf router can be extended.");
}
