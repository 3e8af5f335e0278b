namespace Tributary.Streams.Validation.Internal;

/// <summary>RFC 6901 pointer segments: "~" is written "~0" and "/" is written "~1".</summary>
internal static class JsonPointer
{
    public static string Escape(string segment) =>
        segment.Contains('~', StringComparison.Ordinal) || segment.Contains('/', StringComparison.Ordinal)
            ? segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : segment;

    public static string Unescape(string segment) =>
        segment.Contains('~', StringComparison.Ordinal)
            ? segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)
            : segment;

    /// <summary>The pointer of a child: <paramref name="parent"/> + "/" + the escaped segment.</summary>
    public static string Append(string parent, string segment) => parent + "/" + Escape(segment);
}
