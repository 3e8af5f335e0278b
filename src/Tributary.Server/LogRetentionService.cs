using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Operations;

namespace Tributary.Server;

/// <summary>
/// Drops records past their topic's retention (age and size) every <see cref="ServerOptions.RetentionInterval"/> while the
/// server runs, then checkpoints the log (<see cref="Streams.IEventLog.Checkpoint"/>).
/// </summary>
internal sealed partial class LogRetentionService(LocalOperations operations, ServerOptions options, ILogger<LogRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RetentionInterval, operations.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var dropped = operations.Log.EnforceRetention(operations.Time.GetUtcNow().UtcDateTime);
                    if (dropped > 0)
                    {
                        LogDropped(logger, dropped);
                    }

                    // So that an open after a crash reads only the last interval's records, not the whole log.
                    operations.Log.Checkpoint();
                }
                catch (Exception e) when (e is IOException or Streams.StreamException or ObjectDisposedException)
                {
                    LogFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "log retention dropped {Records} records")]
    private static partial void LogDropped(ILogger logger, long records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "log retention failed: {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
