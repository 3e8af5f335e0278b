using Microsoft.Extensions.Hosting;
using Tributary.Operations;

namespace Tributary.Server;

/// <summary>Runs the data directory's stream processors while the server runs.</summary>
internal sealed class ProcessorService(LocalOperations operations) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var host = operations.Processors;
        host.Start();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await host.DisposeAsync().ConfigureAwait(false);
    }
}

