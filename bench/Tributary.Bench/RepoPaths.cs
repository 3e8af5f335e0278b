namespace Tributary.Bench;

/// <summary>Files of the repository the benchmarks read (sample pipelines, the built CLI).</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the benchmark's binaries holding Tributary.slnx.</summary>
    public static string Root
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Tributary.slnx")))
                    {
                        return dir.FullName;
                    }
                }
            }

            throw new InvalidOperationException("the repository root (Tributary.slnx) was not found above the benchmark or the current directory");
        }
    }

    /// <summary>A file under samples/.</summary>
    public static string Sample(params string[] parts) => Path.Combine([Root, "samples", .. parts]);
}
