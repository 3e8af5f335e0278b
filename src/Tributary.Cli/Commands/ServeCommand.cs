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
        var command = new Command("serve", "Own the data directory: run the jobs and the HTTP API until stopped") { urls };
        command.SetAction(parse => CliRunner.Run(() => Run(parse.GetValue(data)!, parse.GetValue(urls)!)));
        return command;
    }

    private static int Run(string dataDirectory, string urls)
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

        var server = TributaryServer.Create(new ServerOptions(dataDirectory, urls));
        try
        {
            server.StartAsync(stop.Token).GetAwaiter().GetResult();
            var loopback = urls.Split(';').All(TributaryServer.IsLoopback);
            Console.WriteLine($"tributary serving {server.Operations.Store.DataDirectory} at {server.Url} (pid {Environment.ProcessId}){(loopback ? " — loopback only" : " — WARNING: reachable from other machines, and no tokens are checked yet")}");
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
