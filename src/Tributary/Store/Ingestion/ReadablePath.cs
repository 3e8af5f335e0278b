namespace Tributary.Store.Ingestion;

/// <summary>
/// A path DuckDB reads as exactly one file. DuckDB treats <c>*</c>, <c>?</c> and <c>[</c> in a path as a
/// glob with no escape, so a file whose path has them is reached through a symbolic link (or, where
/// links are not allowed, a copy) with a plain name in the temp directory, removed on dispose.
/// </summary>
internal sealed class ReadablePath : IDisposable
{
    private readonly string? _temporary;

    private ReadablePath(string path, string? temporary)
    {
        Path = path;
        _temporary = temporary;
    }

    /// <summary>The path to give DuckDB.</summary>
    public string Path { get; }

    /// <summary>Wraps <paramref name="fullPath"/>, making a link or copy only when it needs one.</summary>
    public static ReadablePath Create(string fullPath)
    {
        if (fullPath.IndexOfAny(['*', '?', '[']) < 0)
        {
            return new ReadablePath(fullPath, null);
        }

        var link = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tributary-ingest-" + Guid.NewGuid().ToString("N") + System.IO.Path.GetExtension(fullPath));
        if (link.IndexOfAny(['*', '?', '[']) >= 0)
        {
            throw new StoreException($"cannot read {fullPath}: the temp directory's path has glob characters");
        }

        try
        {
            File.CreateSymbolicLink(link, fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(fullPath, link);
        }

        return new ReadablePath(link, link);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_temporary is not null)
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (IOException)
            {
                // Implementation note: a leftover link in the temp directory is harmless.
            }
        }
    }
}
