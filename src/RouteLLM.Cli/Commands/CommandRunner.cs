using RouteLLM.MLNet.Data;
using RouteLLM.MLNet.Routers;

namespace RouteLLM.Cli.Commands;

/// <summary>Runs a command body: expected failures become one line on stderr and a non-zero exit code.</summary>
internal static class CommandRunner
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is DataFormatException or RouterFormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return UsageError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return Failure;
        }
    }
}
