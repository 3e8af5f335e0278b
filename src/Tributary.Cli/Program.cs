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
    ServeCommand.Create(data),
    ApplyCommand.Create(data),
    GenerateCommand.Create(data),
    JobsCommand.Create(data),
    WindowsCommand.Create(data),
    RunsCommand.Create(data),
};
root.HelpName = "tributary";

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && args.Length > 0)
{
    // Like every other mistake: one "error:" line per problem on stderr, exit code 1, nothing on stdout
    // (with no arguments at all, System.CommandLine shows the help).
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {CliErrors.Plain(error.Message)}");
    }

    Console.Error.WriteLine("(run with --help for usage)");
    return CliRunner.UserError;
}

return CliRunner.Run(() => parse.Invoke());
