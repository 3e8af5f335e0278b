using System.Diagnostics.CodeAnalysis;

namespace Tributary.Kql;

/// <summary>
/// Decides which local files a query's <c>externaldata</c> may read. The translator only names the file in the SQL it
/// produces; the engine reads it when the query runs, on the machine that runs it (the server's, for a query sent to a
/// server), so the host that runs queries supplies this and keeps it to the files it means to share.
/// </summary>
public interface IExternalDataResolver
{
    /// <summary>
    /// The full path to read for <paramref name="path"/> (a local path as the query wrote it, or a <c>file://</c> URL's
    /// path), or false with the reason it may not be read (outside the allowed directories, missing, …).
    /// </summary>
    bool TryResolve(string path, [NotNullWhen(true)] out string? fullPath, [NotNullWhen(false)] out string? reason);
}
