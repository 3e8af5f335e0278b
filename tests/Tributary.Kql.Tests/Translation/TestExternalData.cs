using System.Diagnostics.CodeAnalysis;

namespace Tributary.Kql.Tests.Translation;

/// <summary>An externaldata resolver for translation tests: allows every path under /data, refuses the rest.</summary>
internal sealed class TestExternalData : IExternalDataResolver
{
    public static TestExternalData Instance { get; } = new();

    public bool TryResolve(string path, [NotNullWhen(true)] out string? fullPath, [NotNullWhen(false)] out string? reason)
    {
        fullPath = path.StartsWith('/') ? path : "/data/" + path;
        reason = fullPath.StartsWith("/data/", StringComparison.Ordinal) ? null : "it is outside /data";
        return reason is null;
    }
}
