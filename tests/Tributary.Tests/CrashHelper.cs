namespace Tributary.Tests;

/// <summary>The crash-test helper process (tests/Tributary.CrashHelper): durable work until a test kills it.</summary>
internal static class CrashHelper
{
    /// <summary>The built crash helper beside this test assembly's build: tests/Tributary.CrashHelper/bin/&lt;Configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string Dll()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        for (var dir = baseDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tributary.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "tests", "Tributary.CrashHelper", "bin", configuration, tfm, "Tributary.CrashHelper.dll");
                Assert.True(File.Exists(dll), $"build the crash helper first: {dll} is missing");
                return dll;
            }
        }

        Assert.Fail($"no Tributary.slnx above {baseDir.FullName}");
        return "";
    }
}
