using System.Globalization;
using Tributary.Kql;
using Tributary.Kql.Values;
using Tributary.Query;

namespace Tributary.Charts;

/// <summary>Turns result cells into plot coordinates and short, safe chart labels.</summary>
internal static class ChartValues
{
    /// <summary>The longest legend entry, category or slice label, in characters, before it is cut.</summary>
    public const int MaxLabelLength = 48;

    /// <summary>True for the types a chart can plot as a value: int, long, real, decimal and timespan.</summary>
    public static bool IsValue(KqlType type) => KqlTypes.IsNumeric(type) || type == KqlType.TimeSpan;

    /// <summary>The plotted number of a value cell: timespans in seconds; null for null, NaN and non-numbers.</summary>
    public static double? ToDouble(object? value)
    {
        double d = value switch
        {
            int i => i,
            long l => l,
            double x => x,
            float f => f,
            decimal m => (double)m,
            TimeSpan t => t.TotalSeconds,
            short s => s,
            byte b => b,
            _ => double.NaN,
        };
        return double.IsFinite(d) ? d : null;
    }

    /// <summary>
    /// The short text of a cell for a legend, category or slice: datetimes without the zero parts
    /// (<c>2019-05-21</c>, <c>2019-05-21 19:00</c>), timespans without a zero fraction, reals to six
    /// significant digits, empty text as <c>(empty)</c>; escaped and cut to <see cref="MaxLabelLength"/>.
    /// </summary>
    public static string Label(object? value, KqlType type)
    {
        var text = value switch
        {
            null => "(null)",
            DateTime dt => DateLabel(dt),
            TimeSpan ts => TrimZeroFraction(KqlValueFormatter.FormatTimeSpan(ts)),
            double d when double.IsFinite(d) => d.ToString("G6", CultureInfo.InvariantCulture),
            _ => KqlValueFormatter.Format(value, type),
        };
        return Clean(text.Length == 0 ? "(empty)" : text);
    }

    /// <summary>Text made safe to draw (control characters escaped) and cut to <see cref="MaxLabelLength"/>.</summary>
    public static string Clean(string text) => TerminalText.Truncate(TerminalText.Escape(text), MaxLabelLength);

    /// <summary>An axis label for value columns: the names joined by <c>", "</c>, a timespan's marked <c>(seconds)</c>.</summary>
    public static string ValueAxisLabel(IEnumerable<KqlColumn> columns) =>
        Clean(string.Join(", ", columns.Select(c => c.Type == KqlType.TimeSpan ? c.Name + " (seconds)" : c.Name)));

    /// <summary>The columns of a result as <c>Name:type, …</c> for error messages.</summary>
    public static string Describe(IReadOnlyList<KqlColumn> columns) =>
        columns.Count == 0 ? "(none)" : string.Join(", ", columns);

    private static string DateLabel(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var format = utc.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd"
            : utc.Ticks % TimeSpan.TicksPerMinute == 0 ? "yyyy-MM-dd HH:mm"
            : utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss"
            : "yyyy-MM-dd HH:mm:ss.fffffff";
        return utc.ToString(format, CultureInfo.InvariantCulture);
    }

    private static string TrimZeroFraction(string text) =>
        text.EndsWith(".0000000", StringComparison.Ordinal) ? text[..^8] : text;
}
