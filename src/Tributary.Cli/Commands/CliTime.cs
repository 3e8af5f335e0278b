using Tributary.Store;

namespace Tributary.Cli.Commands;

/// <summary>Times on the command line: ISO-8601 (UTC unless an offset is given) or <c>now</c>.</summary>
internal static class CliTime
{
    public static DateTime Parse(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new StoreException($"{option} needs a time (ISO-8601 UTC, e.g. 2023-05-22T10:00:00Z, or 'now')");
        }

        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return DateTime.UtcNow;
        }

        if (Pipelines.PipelineLoader.TryParseTime(text, out var t))
        {
            return t;
        }

        throw new StoreException($"{option} '{text}' is not a time (use ISO-8601 UTC, e.g. 2023-05-22T10:00:00Z, or 'now')");
    }

    /// <summary>A duration option (<c>30s</c>, <c>10m</c>, <c>1h</c>, <c>1d</c>).</summary>
    public static TimeSpan ParseDuration(string text, string option) =>
        Tributary.Pipelines.PipelineLoader.TryParseDuration(text, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new Tributary.Store.StoreException($"{option} '{text}' is not a duration (examples: 30s, 10m, 1h, 1d)");

    public static DateTime? ParseOptional(string? text, string option) => text is null ? null : Parse(text, option);
}
