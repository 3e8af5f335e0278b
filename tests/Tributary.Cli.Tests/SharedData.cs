namespace Tributary.Cli.Tests;

/// <summary>Finds ../shared/data/sunbird (present in CI and for developers, absent from a user's fresh clone).</summary>
internal static class SharedData
{
    public static string RequireSunbird()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "sunbird");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        Skip.If(true, "../shared/data/sunbird is not here (a fresh clone has no ../shared); these tests run in CI");
        return "";
    }
}
