using System.Globalization;

namespace Tributary.Fleet;

/// <summary>
/// A burst (or a drop) in one source system's volume: during [<see cref="At"/>, <see cref="At"/> + <see cref="Duration"/>)
/// the system emits <see cref="Factor"/> times its usual number of rows.
/// </summary>
/// <remarks>
/// A <see cref="Factor"/> above 1 adds rows (a data-source burst, the cause of seed 000's memory failures); below 1 it keeps
/// each usual row with that probability (a drop, seed 000's "low change count"); 0 is an outage. Rows outside the interval
/// are exactly those of a run without the spike. Spikes of one system that overlap multiply.
/// </remarks>
/// <param name="Source">One of <see cref="FleetSources.All"/>.</param>
/// <param name="At">When the spike starts; a value of kind <see cref="DateTimeKind.Unspecified"/> is taken as UTC.</param>
/// <param name="Factor">How many times the usual volume, at least 0 (default 20).</param>
/// <param name="Duration">How long the spike lasts, more than zero; null means one hour.</param>
public sealed record FleetSpike(string Source, DateTime At, double Factor = 20, TimeSpan? Duration = null)
{
    /// <summary>The duration when <see cref="Duration"/> is not given.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);

    private const string Syntax = "SOURCE@TIME[xFACTOR][/DURATION], e.g. OMRollout:SOC@2023-05-22T14:00x20/1h";

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'Z'", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary><see cref="Duration"/>, or <see cref="DefaultDuration"/> when it is null.</summary>
    public TimeSpan EffectiveDuration => Duration ?? DefaultDuration;

    /// <summary>
    /// Parses the command-line form <c>SOURCE@TIME[xFACTOR][/DURATION]</c>.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><c>SOURCE</c>: a system of <see cref="FleetSources.All"/>, matched ignoring case and returned as spelled there.
    /// It may contain ':' or '@' — the text splits at its last '@'.</item>
    /// <item><c>TIME</c>: ISO 8601, always UTC: <c>2023-05-22</c>, <c>2023-05-22T14:00</c>, <c>2023-05-22T14:00:30</c>,
    /// <c>2023-05-22T14:00:30.250</c>, each optionally ending in <c>Z</c>.</item>
    /// <item><c>xFACTOR</c>: optional, a number at least 0 (default 20): <c>x50</c>, <c>x2.5</c>, <c>x0.1</c>, <c>x0</c>.</item>
    /// <item><c>/DURATION</c>: optional, more than zero (default 1h): <c>30m</c>, <c>45min</c>, <c>1h</c>, <c>1.5h</c>,
    /// <c>90s</c>, <c>500ms</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</item>
    /// </list>
    /// Examples: <c>OMRollout:SOC@2023-05-22T14:00</c>, <c>BatchingEvents@2023-05-22T14:00x50</c>,
    /// <c>ScheduledEvents_AzPE@2023-05-22T02:30Zx0/40m</c>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">A part is missing or wrong; the message names the part and, for the source,
    /// lists the known systems.</exception>
    public static FleetSpike Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            throw new FormatException($"spike '{text}' has no '@': expected {Syntax}");
        }

        var sourceText = text[..at].Trim();
        var rest = text[(at + 1)..].Trim();
        if (sourceText.Length == 0)
        {
            throw new FormatException($"spike '{text}' has no source system before '@'; known systems: {string.Join(", ", FleetSources.All)}");
        }

        var source = FleetSources.TryCanonical(sourceText)
            ?? throw new FormatException($"spike '{text}': {FleetSources.UnknownMessage(sourceText)}");

        TimeSpan? duration = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var durationText = rest[(slash + 1)..].Trim();
            duration = ParseDuration(durationText)
                ?? throw new FormatException(
                    $"spike '{text}': duration '{durationText}' is not a time span above zero such as 30m, 45min, 1h, 1.5h, 90s, 500ms, 2d or 01:30:00");
            rest = rest[..slash].Trim();
        }

        var factor = 20.0;
        var x = rest.IndexOfAny(['x', 'X']);
        if (x >= 0)
        {
            var factorText = rest[(x + 1)..].Trim();
            if (!double.TryParse(factorText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out factor)
                || !double.IsFinite(factor))
            {
                throw new FormatException($"spike '{text}': factor '{factorText}' is not a number at least 0 (write x20, x2.5, x0.5 or x0)");
            }

            rest = rest[..x].Trim();
        }

        if (rest.Length == 0)
        {
            throw new FormatException($"spike '{text}' has no time after '@': expected {Syntax}");
        }

        if (!DateTime.TryParseExact(rest, TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new FormatException(
                $"spike '{text}': time '{rest}' is not an ISO 8601 UTC time such as 2023-05-22T14:00, 2023-05-22T14:00:00Z or 2023-05-22");
        }

        return new FleetSpike(source, DateTime.SpecifyKind(time, DateTimeKind.Utc), factor, duration);
    }

    /// <summary>A positive span written <c>30m</c>, <c>1.5h</c>, <c>500ms</c>… or <c>[d.]hh:mm:ss</c>; null when it is not one.</summary>
    private static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        var unitStart = 0;
        while (unitStart < text.Length && (char.IsAsciiDigit(text[unitStart]) || text[unitStart] == '.'))
        {
            unitStart++;
        }

        TimeSpan? span = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var clock))
            {
                span = clock;
            }
        }
        else if (unitStart > 0 && unitStart < text.Length
            && double.TryParse(text.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            double? ms = text[unitStart..].ToUpperInvariant() switch
            {
                "MS" => amount,
                "S" or "SEC" => amount * 1_000,
                "M" or "MIN" => amount * 60_000,
                "H" or "HR" => amount * 3_600_000,
                "D" => amount * 86_400_000,
                _ => null,
            };
            if (ms is { } value && value < TimeSpan.MaxValue.TotalMilliseconds / 2)
            {
                span = TimeSpan.FromTicks((long)Math.Round(value * TimeSpan.TicksPerMillisecond));
            }
        }

        return span > TimeSpan.Zero ? span : null;
    }
}
