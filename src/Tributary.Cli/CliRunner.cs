using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Cli;

/// <summary>
/// Runs a command and turns every failure into one line on standard error and an exit code: 1 for the user's
/// mistakes (<c>error: …</c>), 2 for anything unexpected (<c>internal error: …</c>). Never a stack trace.
/// </summary>
internal static class CliRunner
{
    /// <summary>The exit code of a user's mistake: bad input, an unknown name, a refused command.</summary>
    public const int UserError = 1;

    /// <summary>The exit code of an unexpected failure (a bug, or the machine failing under us).</summary>
    public const int InternalError = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (KqlException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (e is StoreException or Jobs.JobException or Pipelines.PipelineException or Operations.OperationException
                                       or Streams.StreamException or Streams.Ingest.IngestException or Server.ServerConfigurationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return UserError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
#pragma warning disable CA1031 // The last resort: one line, a distinct exit code, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine(InternalErrorLine(e));
            return InternalError;
        }
    }

    /// <summary>The one line an unexpected exception prints: its type and the first line of its message.</summary>
    public static string InternalErrorLine(Exception e)
    {
        var message = e.Message.Split('\n')[0].TrimEnd('\r');
        return $"internal error: {e.GetType().Name}: {message}";
    }

    /// <summary>
    /// An exception on a thread no command waits on (a timer, a progress callback) would end the process with a
    /// stack trace; instead it prints the one internal-error line and exits with <see cref="InternalError"/>.
    /// </summary>
    public static void ExitQuietlyOnUnhandledExceptions() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Console.Error.WriteLine(e.ExceptionObject is Exception ex ? InternalErrorLine(ex) : "internal error: an unknown failure");
            Console.Error.Flush();
            Environment.Exit(InternalError);
        };

    /// <summary>Ctrl+C cancels the running work instead of killing the process mid-write.</summary>
    public static CancellationToken CancelOnCtrlC()
    {
        var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return cts.Token;
    }
}
