using Tributary.Kql;
using Tributary.Store;

namespace Tributary.Cli;

/// <summary>Runs a command and turns the user's mistakes into a one-line error and exit code 1.</summary>
internal static class CliRunner
{
    public const int UserError = 1;
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
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return InternalError;
        }
    }

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
