using System.Globalization;
using System.Text.Json;

namespace Tributary.Kql.Values;

/// <summary>
/// Turns the CLR value of a result cell into text or JSON the way Kusto prints it.
/// </summary>
/// <remarks>
/// <para>The text forms, always culture-invariant:</para>
/// <list type="bullet">
/// <item><description>null → <c>""</c> (for every type).</description></item>
/// <item><description>datetime → ISO 8601 UTC with seven fractional digits, <c>2019-05-21T19:25:39.0000000Z</c>.
/// A <see cref="DateTimeKind.Local"/> value is converted to UTC; an unspecified one is taken as UTC.</description></item>
/// <item><description>timespan → <c>[-][d.]hh:mm:ss.fffffff</c>, the fraction always present:
/// <c>00:10:00.0000000</c>, <c>1.02:03:04.5000000</c>, <c>-00:00:01.0000000</c>.</description></item>
/// <item><description>real → the shortest text that round-trips (<c>0.1</c>, <c>1E+20</c>), and
/// <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</description></item>
/// <item><description>decimal → invariant digits without trailing fractional zeros (<c>1.5</c>, not
/// the <c>1.500000000000000000</c> a DECIMAL(38,18) column holds).</description></item>
/// <item><description>int, long → invariant digits; bool → <c>true</c>/<c>false</c>;
/// guid → lowercase <c>D</c> form; string → as is; dynamic → the JSON text as is.</description></item>
/// </list>
/// <para>The value's CLR type wins over the column type when they disagree (an <see cref="int"/> in a
/// long column still prints as a number), so a loosely typed cell never throws. All members are pure
/// and thread-safe.</para>
/// </remarks>
public static class KqlValueFormatter
{
    /// <summary>The text of a cell value of a column of type <paramref name="type"/>; null is <c>""</c>.</summary>
    public static string Format(object? value, KqlType type)
    {
        _ = type;
        return value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            DateTime dt => FormatDateTime(dt),
            DateTimeOffset dto => FormatDateTime(dto.UtcDateTime),
            TimeSpan ts => FormatTimeSpan(ts),
            double d => FormatReal(d),
            float f => FormatReal(f),
            decimal m => Normalize(m).ToString(CultureInfo.InvariantCulture),
            Guid g => g.ToString("D"),
            JsonElement e => e.GetRawText(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>
    /// Writes a cell value as a JSON value: int, long, real and decimal as numbers (a NaN or infinite
    /// real as the string <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>, which JSON has no number
    /// for), bool as a boolean, dynamic as its JSON text (an empty text as null, text that is not valid
    /// JSON as a string), null as null, and everything else as the string <see cref="Format"/> gives.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value, KqlType type)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case double d:
                WriteReal(writer, d);
                return;
            case float f:
                WriteReal(writer, f);
                return;
            case decimal m:
                writer.WriteNumberValue(Normalize(m));
                return;
            case JsonElement e:
                e.WriteTo(writer);
                return;
            case string s when type == KqlType.Dynamic:
                WriteDynamic(writer, s);
                return;
            default:
                writer.WriteStringValue(Format(value, type));
                return;
        }
    }

    /// <summary>Formats a datetime as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> in UTC.</summary>
    public static string FormatDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Formats a timespan as <c>[-][d.]hh:mm:ss.fffffff</c>.</summary>
    public static string FormatTimeSpan(TimeSpan value)
    {
        var ticks = value.Ticks;
        // Implementation note: unsigned magnitude so TimeSpan.MinValue does not overflow on negation.
        var magnitude = ticks < 0 ? (ulong)-(ticks + 1) + 1 : (ulong)ticks;
        var days = magnitude / (ulong)TimeSpan.TicksPerDay;
        var rest = magnitude % (ulong)TimeSpan.TicksPerDay;
        var hours = rest / (ulong)TimeSpan.TicksPerHour;
        rest %= (ulong)TimeSpan.TicksPerHour;
        var minutes = rest / (ulong)TimeSpan.TicksPerMinute;
        rest %= (ulong)TimeSpan.TicksPerMinute;
        var seconds = rest / (ulong)TimeSpan.TicksPerSecond;
        var fraction = rest % (ulong)TimeSpan.TicksPerSecond;

        var sign = ticks < 0 ? "-" : "";
        var dayPart = days > 0 ? days.ToString(CultureInfo.InvariantCulture) + "." : "";
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{dayPart}{hours:00}:{minutes:00}:{seconds:00}.{fraction:0000000}");
    }

    /// <summary>Formats a real as its shortest round-trip text, or <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static string FormatReal(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    // Implementation note: dividing by a one of scale 28 yields the same value at its smallest scale.
    private static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;

    private static void WriteReal(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(FormatReal(value));
        }
    }

    private static void WriteDynamic(Utf8JsonWriter writer, string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            writer.WriteNullValue();
        }
        else if (IsSingleJsonValue(json))
        {
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(json);
        }
    }

    // Implementation note: validating here (rather than letting WriteRawValue validate) leaves the
    // writer untouched when the text is bad, so a malformed cell degrades to a string, not a failure.
    private static bool IsSingleJsonValue(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
