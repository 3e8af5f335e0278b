using System.Diagnostics.CodeAnalysis;
using Tributary.Kql;

namespace Tributary.Store;

/// <summary>
/// The files a query's <c>externaldata</c> may read: existing files inside one of the allowed directories, reached
/// without a symbolic link below it. A relative path is taken from the first directory. Immutable, so thread-safe.
/// </summary>
/// <remarks>
/// Implementation note: the engine reads the file when the query runs, in this process, so a query sent to a server
/// reads the server's files; keeping them to directories the operator chose keeps a reader from reading the tokens
/// file, the database or anything else the process can open.
/// </remarks>
internal sealed class ExternalDataFiles : IExternalDataResolver
{
    private readonly IReadOnlyList<string> _directories;

    public ExternalDataFiles(IEnumerable<string> directories) =>
        _directories = directories.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d))).ToList();

    public bool TryResolve(string path, [NotNullWhen(true)] out string? fullPath, [NotNullWhen(false)] out string? reason)
    {
        fullPath = null;
        if (_directories.Count == 0)
        {
            reason = "no directory is open to externaldata here";
            return false;
        }

        string full;
        try
        {
            full = Path.GetFullPath(path, _directories[0]);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            reason = "it is not a valid path";
            return false;
        }

        var root = _directories.FirstOrDefault(d => IsInside(full, d));
        if (root is null)
        {
            reason = "it is outside the directories externaldata may read (by default the data directory's 'external' directory)";
            return false;
        }

        if (!File.Exists(full))
        {
            reason = "there is no such file";
            return false;
        }

        if (ThroughLink(root, full))
        {
            reason = "it is reached through a symbolic link";
            return false;
        }

        fullPath = full;
        reason = null;
        return true;
    }

    private static bool IsInside(string full, string directory)
    {
        var relative = Path.GetRelativePath(directory, full);
        return relative != "." && relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    // Whether the file, or a directory between the root and it, is a symbolic link.
    private static bool ThroughLink(string root, string full)
    {
        var current = root;
        foreach (var part in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }
}
