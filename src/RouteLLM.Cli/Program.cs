using System.CommandLine;
using RouteLLM.Cli.Commands;
using Spectre.Console;

// Tables must not be cut to 80 columns when output goes to a file or a CI log.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("routellm: learn from preference data when a prompt needs the strong LLM, and route it.")
{
    DataCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    CalibrateCommand.Create(),
    RouteCommand.Create(),
    BenchCommand.Create(),
    ServeCommand.Create(),
    LabelCommand.Create(),
    ReportCommand.Create(),
    CrossValidateCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
