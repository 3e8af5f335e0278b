using System.Diagnostics;
using System.Text.Json;

namespace Tributary.Operations;

/// <summary>
/// The file a running server writes into its data directory (<c>server.json</c>): where it listens and
/// its process id. The CLI reads it to carry commands out through the server.
/// </summary>
public sealed record ServerAnnouncement(string Url, int ProcessId, DateTime StartedOn)
{
    /// <summary>The file's name inside the data directory.</summary>
    public const string FileName = "server.json";

    /// <summary>Writes the announcement (atomically: a temp file renamed over it).</summary>
    public void Write(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, WireJson.Options));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the announcement if it is this process's.</summary>
    public static void Remove(string dataDirectory, int processId)
    {
        if (TryRead(dataDirectory) is { } a && a.ProcessId == processId)
        {
            File.Delete(Path.Combine(dataDirectory, FileName));
        }
    }

    /// <summary>The announcement of a server whose process is alive, or null (a stale file from a dead server is removed).</summary>
    public static ServerAnnouncement? FindLive(string dataDirectory)
    {
        var announcement = TryRead(dataDirectory);
        if (announcement is null)
        {
            return null;
        }

        if (IsAlive(announcement.ProcessId))
        {
            return announcement;
        }

        try
        {
            File.Delete(Path.Combine(dataDirectory, FileName));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Reads the file; null when missing or unreadable.</summary>
    public static ServerAnnouncement? TryRead(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ServerAnnouncement>(File.ReadAllText(path), WireJson.Options) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
