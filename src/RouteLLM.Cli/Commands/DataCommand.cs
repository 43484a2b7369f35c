using System.CommandLine;
using System.Globalization;
using RouteLLM.MLNet.Data;

namespace RouteLLM.Cli.Commands;

/// <summary><c>routellm data pull</c>: fill the data folder with the public files, downloaded or copied from a mirror.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption();
        var from = new Option<DirectoryInfo>("--from") { Description = "Copy routellm/, preferences/ and gold/ from this local data folder (e.g. ../shared/data) instead of downloading." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds allowed for each downloaded file.", DefaultValueFactory = _ => (int)DataPull.DefaultTimeout.TotalSeconds };
        var pull = new Command("pull", "Fetch the public data into the data folder: RouteLLM's benchmark files from GitHub, or a whole data folder from a local mirror (--from).")
        {
            data, from, timeout,
        };
        pull.SetAction((result, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var destination = result.GetValue(data)!.FullName;
            var mirror = result.GetValue(from);
            var seconds = result.GetValue(timeout);
            if (seconds <= 0)
            {
                throw new ArgumentException($"--timeout {seconds} must be a positive number of seconds.");
            }

            var progress = new SyncProgress<string>(Console.WriteLine);
            DataPullResult pulled;
            try
            {
                pulled = mirror is null
                    ? await DataPull.DownloadAsync(destination, timeout: TimeSpan.FromSeconds(seconds), progress: progress, cancellationToken: cancellationToken)
                    : await DataPull.CopyAsync(mirror.FullName, destination, progress, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{destination}: {pulled.Written.Count} files written ({pulled.BytesWritten / 1e6:F1} MB), {pulled.Unchanged.Count} already up to date."));
            if (mirror is null)
            {
                Console.WriteLine("Battles (preferences/) and gold labels (gold/) are not RouteLLM's files: copy them with --from DIR or add your own.");
            }

            return 0;
        }));
        return new Command("data", "Manage the data folder (routellm/, preferences/, gold/).") { pull };
    }

    /// <summary>The <c>--data DIR</c> option of every command that reads the data folder.</summary>
    public static Option<DirectoryInfo> DataDirectoryOption() => new("--data")
    {
        Description = "Data folder laid out as routellm/, preferences/, gold/.",
        DefaultValueFactory = _ => new DirectoryInfo(DataLayout.DefaultDirectory),
    };
}
