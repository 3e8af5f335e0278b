using System.CommandLine;
using Tributary.Cli;
using Tributary.Cli.Commands;

var data = new Option<string>("--data", "-d")
{
    Description = "The data directory (created if missing)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TRIBUTARY_DATA") ?? "./.tributary",
    Recursive = true,
};

var root = new RootCommand("Tributary: an event pipeline that ingests, transforms, queries (KQL) and watches itself.")
{
    data,
    QueryCommand.Create(data),
    IngestCommand.Create(data),
    DemoCommand.Create(data),
};

return CliRunner.Run(() => root.Parse(args).Invoke());
