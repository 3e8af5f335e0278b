using System.Collections.Concurrent;
using System.Globalization;
using Tributary.Kql.Values;

namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Time zones (IANA names, from the host's time zone database) and the datetime text forms the engine's own cast does
/// not read. Datetimes are ticks (100 ns since 0001-01-01) of UTC or zone-local wall clock values; an unknown zone or text gives null, and
/// so does a null string (the engine passes it in).
/// </summary>
internal static class DateTimeUdfs
{
    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<long, string?, long?>("kql_utc_to_local", (ticks, zone) => InRange(() => UtcToLocal(new DateTime(ticks), zone))),
        ScalarUdf.Create<long, string?, long?>("kql_local_to_utc", (ticks, zone) => InRange(() => LocalToUtc(new DateTime(ticks), zone))),
        ScalarUdf.Create<string?, long?>("kql_parse_datetime", text => ParseDateTime(text)?.Ticks),
    ];

    // RFC 850 and the "sortable" forms Kusto lists besides ISO 8601 and RFC 822 (which KqlValueParser reads).
    private static readonly string[] OtherFormats =
    [
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "dddd, dd-MMM-yy HH:mm:ss", "dddd, dd-MMM-yy HH:mm 'GMT'", "dddd, dd-MMM-yy HH:mm",
        "dd-MMM-yy HH:mm:ss 'GMT'", "dd-MMM-yy HH:mm:ss", "dd-MMM-yy HH:mm 'GMT'", "dd-MMM-yy HH:mm",
        "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm:ss 'GMT'", "yyyy-M-d H:mm", "yyyy-M-d H:mm 'GMT'",
        "yyyy-M-d'T'H:mm:ss", "yyyy-M-d'T'H:mm:ss 'GMT'", "yyyy-M-d'T'H:mm", "yyyy-M-d'T'H:mm 'GMT'",
    ];

    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    /// <summary>The zone of an IANA name, or null when the host does not know it.</summary>
    public static TimeZoneInfo? FindZone(string? name) => name is null ? null : Zones.GetOrAdd(name, static n =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(n);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    });

    private static DateTime? UtcToLocal(DateTime utc, string? zone) =>
        FindZone(zone) is { } tz ? Unspecified(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), tz)) : null;

    /// <summary>
    /// Local wall clock time to UTC. A time the clocks skip (the hour lost when daylight saving starts) takes the offset
    /// in force just after the skip, as Kusto does; a time that happens twice is read as standard time.
    /// </summary>
    private static DateTime? LocalToUtc(DateTime local, string? zone)
    {
        if (FindZone(zone) is not { } tz)
        {
            return null;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (tz.IsInvalidTime(local))
        {
            var after = DateTime.SpecifyKind(local - tz.BaseUtcOffset, DateTimeKind.Utc);
            return Unspecified(local - tz.GetUtcOffset(after));
        }

        return Unspecified(TimeZoneInfo.ConvertTimeToUtc(local, tz));
    }

    private static DateTime? ParseDateTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (KqlValueParser.TryParseDateTime(text, out var utc))
        {
            return Unspecified(utc);
        }

        return DateTime.TryParseExact(text.Trim(), OtherFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? Unspecified(parsed)
            : null;
    }

    // A conversion that leaves the range of DateTime (years 1 to 9999) gives null.
    private static long? InRange(Func<DateTime?> convert)
    {
        try
        {
            return convert()?.Ticks;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static DateTime Unspecified(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
}
