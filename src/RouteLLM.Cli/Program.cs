using System.CommandLine;
using RouteLLM.Cli.Commands;

var root = new RootCommand("routellm: learn from preference data when a prompt needs the strong LLM, and route it.")
{
    RouteCommand.Create(),
    DataCommand.Create(),
    ServeCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
