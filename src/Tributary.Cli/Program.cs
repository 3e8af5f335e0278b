using System.CommandLine;
using Tributary.Cli;
using Tributary.Cli.Commands;
using Tributary.Cli.Remote;

CliRunner.ExitQuietlyOnUnhandledExceptions();
var data = new Option<string>("--data", "-d")
{
    Description = "The data directory (created if missing)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TRIBUTARY_DATA") ?? "./.tributary",
    Recursive = true,
};

var token = new Option<string?>("--token")
{
    Description = "The API token to send to a server that requires one (default: the TRIBUTARY_TOKEN variable)",
    Recursive = true,
};

var root = new RootCommand("Tributary: an event pipeline that ingests, transforms, queries (KQL) and watches itself.")
{
    data,
    token,
    QueryCommand.Create(data),
    IngestCommand.Create(data),
    DemoCommand.Create(data),
    ServeCommand.Create(data),
    ApplyCommand.Create(data),
    GenerateCommand.Create(data),
    JobsCommand.Create(data),
    WindowsCommand.Create(data),
    RunsCommand.Create(data),
    TopicsCommand.Create(data),
    ProduceCommand.Create(data),
    ConsumeCommand.Create(data),
    GroupsCommand.Create(data),
    IngestionCommand.Create(data),
    ProcessorsCommand.Create(data),
    BackupsCommand.Create(data),
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

OperationsFactory.Token = parse.GetValue(token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable("TRIBUTARY_TOKEN");
// Every failure goes through CliRunner (one line, exit code 1 or 2); System.CommandLine's own handler would print a stack trace.
return CliRunner.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
