namespace Tributary.Tests;

/// <summary>A test class that owns a fresh temporary directory, deleted when the test ends.</summary>
public abstract class TempDirectoryTest : IDisposable
{
    protected TempDirectoryTest(string prefix) =>
        Dir = Path.Combine(Path.GetTempPath(), $"tributary-{prefix}-{Guid.NewGuid():N}");

    /// <summary>The directory (not created until something writes to it).</summary>
    protected string Dir { get; }

    public void Dispose()
    {
        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
