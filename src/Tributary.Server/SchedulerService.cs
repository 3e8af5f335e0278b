using Microsoft.Extensions.Hosting;
using Tributary.Operations;

namespace Tributary.Server;

/// <summary>Runs the job scheduler for as long as the server runs; on stop, running attempts are cancelled and recorded.</summary>
internal sealed class SchedulerService(LocalOperations operations) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => operations.Scheduler.RunAsync(stoppingToken);
}
