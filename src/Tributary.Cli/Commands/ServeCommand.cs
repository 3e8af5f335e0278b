using System.CommandLine;
using System.Runtime.InteropServices;
using Tributary.Server;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary serve [--urls http://127.0.0.1:8080]</c>: owns the data directory, runs the job scheduler and
/// the HTTP API until SIGTERM or Ctrl-C, then cancels running attempts, closes the store and exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(Option<string> data)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback by default; port 0 picks a free port)", DefaultValueFactory = _ => ServerOptions.DefaultUrls };
        var tokens = new Option<string?>("--tokens") { Description = "The API tokens file (default: tokens.yaml in the data directory, if there); without tokens the server listens on loopback only" };
        var command = new Command("serve", "Own the data directory: run the jobs and the HTTP API until stopped") { urls, tokens };
        command.SetAction(parse => CliRunner.Run(() => Run(parse.GetValue(data)!, parse.GetValue(urls)!, parse.GetValue(tokens))));
        return command;
    }

    private static int Run(string dataDirectory, string urls, string? tokensFile)
    {
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        var server = TributaryServer.Create(new ServerOptions(dataDirectory, urls) { TokensFile = tokensFile });
        try
        {
            server.StartAsync(stop.Token).GetAwaiter().GetResult();
            var loopback = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(TributaryServer.IsLoopback);
            Console.WriteLine($"tributary serving {server.Operations.Store.DataDirectory} at {server.Url} (pid {Environment.ProcessId}){(loopback ? " — loopback only" : " — reachable from other machines")}");
            Console.WriteLine(server.Tokens.Enabled
                ? $"API tokens: {server.Tokens.Tokens.Count} from {server.Tokens.Source}; every endpoint but /healthz and /readyz needs one (Authorization: Bearer)"
                : $"listening on loopback only, without authentication (no API tokens: give --tokens FILE or put {Server.Security.ApiTokens.DefaultFileName} in the data directory to require them)");
            Console.WriteLine("jobs run as their windows fall due; CLI commands on this directory go through this server. Ctrl-C or SIGTERM stops it.");
            try
            {
                Task.Delay(Timeout.Infinite, stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine("stopping: no new windows; running attempts are cancelled and will run again at the next start");
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Console.WriteLine("stopped");
        return 0;
    }
}
