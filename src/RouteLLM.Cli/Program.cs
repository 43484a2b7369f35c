using System.CommandLine;
using RouteLLM.Cli.Commands;

var root = new RootCommand("routellm: learn from preference data when a prompt needs the strong LLM, and route it.")
{
    DataCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    CalibrateCommand.Create(),
    RouteCommand.Create(),
    BenchCommand.Create(),
    ServeCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
