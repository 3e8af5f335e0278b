using Tributary.Operations;

namespace Tributary.Cli.Remote;

/// <summary>
/// Chooses where a CLI command is carried out: by the server that owns the data directory when one runs
/// (it announced itself in the directory), else on the directory itself.
/// </summary>
internal static class OperationsFactory
{
    /// <summary>Set by tests and by <c>serve</c> itself: never route through a server.</summary>
    public static bool ForceLocal { get; set; }

    /// <summary>The API token sent to a server (from <c>--token</c> or <c>TRIBUTARY_TOKEN</c>), or null.</summary>
    public static string? Token { get; set; }

    public static ITributaryOperations Open(string dataDirectory)
    {
        if (dataDirectory.Length == 0)
        {
            throw new OperationException("--data cannot be an empty path");
        }

        if (!ForceLocal && ServerAnnouncement.FindLive(Path.GetFullPath(dataDirectory)) is { } server)
        {
            var remote = new HttpOperations(server, Token);
            if (remote.IsAlive())
            {
                return remote;
            }

            remote.Dispose();
            throw new OperationException(
                $"a server (pid {server.ProcessId}) owns '{Path.GetFullPath(dataDirectory)}' but does not answer at {server.Url}; wait for it to start, or stop it and retry");
        }

        return LocalOperations.Open(dataDirectory);
    }
}
