namespace Tributary.Tests;

/// <summary>Another project's build output, from the same configuration and target framework as this test assembly's.</summary>
internal static class BuiltDll
{
    /// <summary>
    /// <c>&lt;repository&gt;/&lt;projectDirectory&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/&lt;dll&gt;</c>; fails the test when it is not built.
    /// </summary>
    public static string Path(string projectDirectory, string dll)
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Tributary.slnx")))
            {
                var path = System.IO.Path.Combine(dir.FullName, projectDirectory, "bin", configuration, tfm, dll);
                Assert.True(File.Exists(path), $"build it first: {path} is missing");
                return path;
            }
        }

        Assert.Fail($"no Tributary.slnx above {baseDir.FullName}");
        return "";
    }
}
