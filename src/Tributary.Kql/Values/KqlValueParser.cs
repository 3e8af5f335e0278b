using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tributary.Kql.Values;

/// <summary>
/// Parses the text forms of Kusto scalar values (as found in CSV and JSON files and in literals) into
/// the CLR values Tributary stores.
/// </summary>
/// <remarks>
/// <para>Every method is pure, allocation-free on the <c>Try</c> paths for span input, and thread-safe.
/// Leading and trailing whitespace (space, tab, CR, LF) is ignored for every type but <c>string</c>.</para>
/// <para><b>datetime</b> accepts:
/// ISO 8601 <c>yyyy-MM-dd</c>, optionally followed by <c>T</c> or a space and <c>HH:mm[:ss[.f{1,7}]]</c>,
/// optionally followed by <c>Z</c> or an offset <c>±HH:mm</c> / <c>±HHmm</c> (no zone means UTC);
/// and RFC 822/1123 <c>[ddd, ]d MMM yy[yy] HH:mm[:ss] zone</c> where zone is <c>GMT</c>, <c>UTC</c>,
/// <c>UT</c>, <c>Z</c> or <c>±HHmm</c> (names case-insensitive; the day name is not checked against the
/// date; a two-digit year <c>00</c>–<c>49</c> is 20xx, <c>50</c>–<c>99</c> is 19xx). Hours are 00–23,
/// minutes and seconds 00–59; the converted instant must lie in years 1–9999.</para>
/// <para><b>timespan</b> accepts <c>[-][d.]h[h]:mm[:ss[.f{1,7}]]</c> (days up to 8 digits, hours 0–23)
/// and literals <c>[-]number unit</c> with no space, where the number is <c>digits[.digits]</c> (up to 18
/// digits each side) and the unit is one of d, day(s), h, hr(s), hour(s), m, min, minute(s), s, sec,
/// second(s), ms, milli(s), millisecond(s), microsecond(s), tick(s) (case-insensitive). A fractional
/// literal is truncated toward zero to whole 100 ns ticks; a result outside <see cref="TimeSpan"/>'s
/// range is rejected.</para>
/// <para>These rules are the contract shared with the SQL conversion used by file ingestion; a test
/// checks both agree.</para>
/// </remarks>
public static class KqlValueParser
{
    private const long TicksPerMicrosecond = 10;
    private const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private const long TicksPerHour = TimeSpan.TicksPerHour;
    private const long TicksPerDay = TimeSpan.TicksPerDay;

    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly JsonSerializerOptions JsonStringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses a datetime in one of the accepted forms (see the type's remarks) to a UTC <see cref="DateTime"/>.</summary>
    /// <returns>True and <paramref name="utc"/> with <see cref="DateTimeKind.Utc"/>; false and <c>default</c> otherwise.</returns>
    public static bool TryParseDateTime(ReadOnlySpan<char> s, out DateTime utc)
    {
        s = TrimWhite(s);
        if (TryParseIso(s, out var ticks) || TryParseRfc(s, out ticks))
        {
            utc = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }

        utc = default;
        return false;
    }

    /// <summary>Parses a timespan in clock form or as a literal such as <c>10m</c> (see the type's remarks).</summary>
    /// <returns>True and the value; false and <see cref="TimeSpan.Zero"/> otherwise.</returns>
    public static bool TryParseTimeSpan(ReadOnlySpan<char> s, out TimeSpan value)
    {
        s = TrimWhite(s);
        value = TimeSpan.Zero;
        if (s.IsEmpty)
        {
            return false;
        }

        var negative = s[0] == '-';
        if (negative)
        {
            s = s[1..];
        }

        if (!TryParseClock(s, out var magnitude) && !TryParseLiteral(s, out magnitude))
        {
            return false;
        }

        var signed = negative ? -magnitude : magnitude;
        if (signed < long.MinValue || signed > long.MaxValue)
        {
            return false;
        }

        value = new TimeSpan((long)signed);
        return true;
    }

    /// <summary>Parses <c>true</c>/<c>false</c> (any case) or <c>1</c>/<c>0</c>.</summary>
    public static bool TryParseBool(ReadOnlySpan<char> s, out bool b)
    {
        s = TrimWhite(s);
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("1"))
        {
            b = true;
            return true;
        }

        b = false;
        return s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.SequenceEqual("0");
    }

    /// <summary>
    /// Parses the text of a value of <paramref name="type"/> to its CLR value: string, int, long, double,
    /// decimal, bool, <see cref="DateTime"/> (UTC), <see cref="TimeSpan"/>, <see cref="Guid"/>, or for
    /// dynamic the JSON text.
    /// </summary>
    /// <remarks>
    /// Empty (or whitespace-only) text is null for every type but string, whose value is the text itself
    /// (<c>""</c> for null). int and long take <c>[+-]digits</c>; real and decimal take
    /// <c>[+-]digits[.digits][e[+-]digits]</c>, real also <c>nan</c>, <c>inf</c>, <c>infinity</c> (any
    /// case, signed); decimal must be below 10^20 in magnitude (it is stored as DECIMAL(38,18)); guid takes
    /// the 32-digit forms with or without hyphens, braces or parentheses; dynamic takes any valid JSON
    /// (JSON <c>null</c> gives null) and turns other text into a JSON string.
    /// </remarks>
    /// <returns>False when the text is not a value of the type; <paramref name="value"/> is then null.</returns>
    public static bool TryParse(string text, KqlType type, out object? value)
    {
        if (type == KqlType.String)
        {
            value = text ?? string.Empty;
            return true;
        }

        value = null;
        var s = TrimWhite((text ?? string.Empty).AsSpan());
        if (s.IsEmpty)
        {
            return true;
        }

        switch (type)
        {
            case KqlType.Int:
                if (IsInteger(s) && int.TryParse(WholePart(s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    value = i;
                    return true;
                }

                return false;
            case KqlType.Long:
                if (IsInteger(s) && long.TryParse(WholePart(s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                    return true;
                }

                return false;
            case KqlType.Real:
                if (TryParseReal(s, out var d))
                {
                    value = d;
                    return true;
                }

                return false;
            case KqlType.Decimal:
                if (IsDecimalNumber(s)
                    && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                    && Math.Abs(m) < 100_000_000_000_000_000_000m)
                {
                    value = m;
                    return true;
                }

                return false;
            case KqlType.Bool:
                if (TryParseBool(s, out var b))
                {
                    value = b;
                    return true;
                }

                return false;
            case KqlType.DateTime:
                if (TryParseDateTime(s, out var dt))
                {
                    value = dt;
                    return true;
                }

                return false;
            case KqlType.TimeSpan:
                if (TryParseTimeSpan(s, out var ts))
                {
                    value = ts;
                    return true;
                }

                return false;
            case KqlType.Guid:
                if (TryParseGuid(s, out var g))
                {
                    value = g;
                    return true;
                }

                return false;
            case KqlType.Dynamic:
                value = ParseDynamic(text!, s);
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    private static ReadOnlySpan<char> TrimWhite(ReadOnlySpan<char> s) => s.Trim(" \t\r\n");

    // ---- datetime ----------------------------------------------------------------------------

    // yyyy-MM-dd[(T| )HH:mm[:ss[.f{1,7}]][Z|±HH[:]mm]]
    private static bool TryParseIso(ReadOnlySpan<char> s, out long ticks)
    {
        ticks = 0;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day))
        {
            return false;
        }

        long timeTicks = 0;
        long offsetTicks = 0;
        var rest = s[10..];
        if (!rest.IsEmpty)
        {
            if (rest[0] is not ('T' or ' ') || rest.Length < 6 || rest[3] != ':'
                || !TryDigits(rest.Slice(1, 2), out var hour) || !TryDigits(rest.Slice(4, 2), out var minute)
                || hour > 23 || minute > 59)
            {
                return false;
            }

            timeTicks = (hour * TicksPerHour) + (minute * TicksPerMinute);
            rest = rest[6..];
            if (!rest.IsEmpty && rest[0] == ':')
            {
                if (rest.Length < 3 || !TryDigits(rest.Slice(1, 2), out var second) || second > 59)
                {
                    return false;
                }

                timeTicks += second * TicksPerSecond;
                rest = rest[3..];
                if (!rest.IsEmpty && rest[0] == '.')
                {
                    var n = CountDigits(rest[1..]);
                    if (n is < 1 or > 7)
                    {
                        return false;
                    }

                    timeTicks += FractionTicks(rest.Slice(1, n));
                    rest = rest[(1 + n)..];
                }
            }

            if (!rest.IsEmpty)
            {
                if (rest is "Z")
                {
                    rest = [];
                }
                else if (!TryParseOffset(rest, colonAllowed: true, out offsetTicks))
                {
                    return false;
                }
            }
        }

        return TryComposeTicks(year, month, day, timeTicks, offsetTicks, out ticks);
    }

    // [ddd,[ ]]d MMM yy[yy] HH:mm[:ss] (GMT|UTC|UT|Z|±HHmm)
    private static bool TryParseRfc(ReadOnlySpan<char> s, out long ticks)
    {
        ticks = 0;
        if (s.Length >= 4 && s[3] == ',' && IndexOfName(DayNames, s[..3]) >= 0)
        {
            s = s[4..];
            if (!s.IsEmpty && s[0] == ' ')
            {
                s = s[1..];
            }
        }

        var dayDigits = CountDigits(s);
        if (dayDigits is < 1 or > 2 || !TryDigits(s[..dayDigits], out var day))
        {
            return false;
        }

        s = s[dayDigits..];
        if (s.Length < 5 || s[0] != ' ' || s[4] != ' ')
        {
            return false;
        }

        var month = IndexOfName(MonthNames, s.Slice(1, 3)) + 1;
        if (month == 0)
        {
            return false;
        }

        s = s[5..];
        var yearDigits = CountDigits(s);
        if (yearDigits is not (2 or 4) || !TryDigits(s[..yearDigits], out var year))
        {
            return false;
        }

        if (yearDigits == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }

        s = s[yearDigits..];
        if (s.Length < 6 || s[0] != ' ' || s[3] != ':'
            || !TryDigits(s.Slice(1, 2), out var hour) || !TryDigits(s.Slice(4, 2), out var minute)
            || hour > 23 || minute > 59)
        {
            return false;
        }

        var timeTicks = (hour * TicksPerHour) + (minute * TicksPerMinute);
        s = s[6..];
        if (!s.IsEmpty && s[0] == ':')
        {
            if (s.Length < 3 || !TryDigits(s.Slice(1, 2), out var second) || second > 59)
            {
                return false;
            }

            timeTicks += second * TicksPerSecond;
            s = s[3..];
        }

        if (s.Length < 2 || s[0] != ' ')
        {
            return false;
        }

        s = s[1..];
        long offsetTicks = 0;
        if (!(s.Equals("GMT", StringComparison.OrdinalIgnoreCase) || s.Equals("UTC", StringComparison.OrdinalIgnoreCase)
              || s.Equals("UT", StringComparison.OrdinalIgnoreCase) || s.Equals("Z", StringComparison.OrdinalIgnoreCase))
            && !TryParseOffset(s, colonAllowed: false, out offsetTicks))
        {
            return false;
        }

        return TryComposeTicks(year, month, day, timeTicks, offsetTicks, out ticks);
    }

    // ±HH[:]mm, HH 00-23, mm 00-59.
    private static bool TryParseOffset(ReadOnlySpan<char> s, bool colonAllowed, out long offsetTicks)
    {
        offsetTicks = 0;
        if (s.Length < 5 || s[0] is not ('+' or '-'))
        {
            return false;
        }

        ReadOnlySpan<char> hh = s.Slice(1, 2);
        ReadOnlySpan<char> mm;
        if (s.Length == 6 && colonAllowed && s[3] == ':')
        {
            mm = s.Slice(4, 2);
        }
        else if (s.Length == 5)
        {
            mm = s.Slice(3, 2);
        }
        else
        {
            return false;
        }

        if (!TryDigits(hh, out var h) || !TryDigits(mm, out var m) || h > 23 || m > 59)
        {
            return false;
        }

        offsetTicks = (h * TicksPerHour) + (m * TicksPerMinute);
        if (s[0] == '-')
        {
            offsetTicks = -offsetTicks;
        }

        return true;
    }

    private static bool TryComposeTicks(int year, int month, int day, long timeTicks, long offsetTicks, out long ticks)
    {
        ticks = 0;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).Ticks + timeTicks;
        var utc = local - offsetTicks;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        ticks = utc;
        return true;
    }

    private static int IndexOfName(string[] names, ReadOnlySpan<char> s)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (s.Equals(names[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    // ---- timespan ----------------------------------------------------------------------------

    // [d.]h[h]:mm[:ss[.f{1,7}]] (sign already removed).
    private static bool TryParseClock(ReadOnlySpan<char> s, out Int128 ticks)
    {
        ticks = 0;
        var n = CountDigits(s);
        if (n == 0)
        {
            return false;
        }

        long days = 0;
        if (n < s.Length && s[n] == '.')
        {
            if (n > 8 || !TryDigits(s[..n], out var d))
            {
                return false;
            }

            days = d;
            s = s[(n + 1)..];
            n = CountDigits(s);
        }

        if (n is < 1 or > 2 || !TryDigits(s[..n], out var hours) || hours > 23)
        {
            return false;
        }

        s = s[n..];
        if (s.Length < 3 || s[0] != ':' || !TryDigits(s.Slice(1, 2), out var minutes) || minutes > 59)
        {
            return false;
        }

        s = s[3..];
        long fraction = 0;
        long seconds = 0;
        if (!s.IsEmpty)
        {
            if (s.Length < 3 || s[0] != ':' || !TryDigits(s.Slice(1, 2), out var sec) || sec > 59)
            {
                return false;
            }

            seconds = sec;
            s = s[3..];
            if (!s.IsEmpty)
            {
                var f = s.Length - 1;
                if (s[0] != '.' || f is < 1 or > 7 || CountDigits(s[1..]) != f)
                {
                    return false;
                }

                fraction = FractionTicks(s[1..]);
            }
        }

        ticks = ((Int128)days * TicksPerDay) + (hours * TicksPerHour) + (minutes * TicksPerMinute) + (seconds * TicksPerSecond) + fraction;
        return true;
    }

    // digits[.digits]unit (sign already removed); up to 18 digits each side.
    private static bool TryParseLiteral(ReadOnlySpan<char> s, out Int128 ticks)
    {
        ticks = 0;
        var n = CountDigits(s);
        if (n is < 1 or > 18)
        {
            return false;
        }

        var whole = s[..n];
        s = s[n..];
        ReadOnlySpan<char> fraction = [];
        if (!s.IsEmpty && s[0] == '.')
        {
            var f = CountDigits(s[1..]);
            if (f is < 1 or > 18)
            {
                return false;
            }

            fraction = s.Slice(1, f);
            s = s[(1 + f)..];
        }

        var unit = UnitTicks(s);
        if (unit == 0)
        {
            return false;
        }

        Int128 scaledFraction = 0;
        foreach (var c in fraction)
        {
            scaledFraction = (scaledFraction * 10) + (c - '0');
        }

        for (var i = fraction.Length; i < 18; i++)
        {
            scaledFraction *= 10;
        }

        ticks = (ParseInt128(whole) * unit) + (scaledFraction * unit / 1_000_000_000_000_000_000L);
        return true;
    }

    private static long UnitTicks(ReadOnlySpan<char> unit)
    {
        Span<char> lower = stackalloc char[16];
        if (unit.IsEmpty || unit.Length > lower.Length)
        {
            return 0;
        }

        var n = unit.ToLowerInvariant(lower);
        return lower[..n] switch
        {
            "d" or "day" or "days" => TicksPerDay,
            "h" or "hr" or "hrs" or "hour" or "hours" => TicksPerHour,
            "m" or "min" or "minute" or "minutes" => TicksPerMinute,
            "s" or "sec" or "second" or "seconds" => TicksPerSecond,
            "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TicksPerMillisecond,
            "microsecond" or "microseconds" => TicksPerMicrosecond,
            "tick" or "ticks" => 1,
            _ => 0,
        };
    }

    // ---- numbers, guid, dynamic --------------------------------------------------------------

    private static bool TryParseReal(ReadOnlySpan<char> s, out double d)
    {
        var body = s[0] is '+' or '-' ? s[1..] : s;
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            d = double.NaN;
            return true;
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            d = s[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        d = 0;
        return IsDecimalNumber(s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    // [+-]digits
    // A whole number, optionally written with a zero fraction (JSON producers write 1586371994743.0).
    private static bool IsInteger(ReadOnlySpan<char> s)
    {
        s = WholePart(s);
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            s = s[1..];
        }

        return !s.IsEmpty && CountDigits(s) == s.Length;
    }

    private static ReadOnlySpan<char> WholePart(ReadOnlySpan<char> s)
    {
        var dot = s.IndexOf('.');
        return dot >= 0 && s[(dot + 1)..].TrimStart('0').IsEmpty ? s[..dot] : s;
    }

    // [+-](digits[.digits*]|.digits)([eE][+-]digits)?
    private static bool IsDecimalNumber(ReadOnlySpan<char> s)
    {
        if (s[0] is '+' or '-')
        {
            s = s[1..];
        }

        var whole = CountDigits(s);
        s = s[whole..];
        var fraction = 0;
        if (!s.IsEmpty && s[0] == '.')
        {
            s = s[1..];
            fraction = CountDigits(s);
            s = s[fraction..];
        }

        if (whole == 0 && fraction == 0)
        {
            return false;
        }

        if (s.IsEmpty)
        {
            return true;
        }

        if (s[0] is not ('e' or 'E'))
        {
            return false;
        }

        s = s[1..];
        if (!s.IsEmpty && s[0] is '+' or '-')
        {
            s = s[1..];
        }

        return !s.IsEmpty && CountDigits(s) == s.Length;
    }

    private static bool TryParseGuid(ReadOnlySpan<char> s, out Guid g) =>
        Guid.TryParseExact(s, "D", out g) || Guid.TryParseExact(s, "N", out g)
        || Guid.TryParseExact(s, "B", out g) || Guid.TryParseExact(s, "P", out g);

    private static string? ParseDynamic(string text, ReadOnlySpan<char> trimmed)
    {
        var json = trimmed.ToString();
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Null ? null : json;
        }
        catch (JsonException)
        {
            // Implementation note: Kusto keeps text that is not JSON as a string value.
            return JsonSerializer.Serialize(text, JsonStringOptions);
        }
    }

    // ---- digits ------------------------------------------------------------------------------

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (n < s.Length && char.IsAsciiDigit(s[n]))
        {
            n++;
        }

        return n;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 9)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static Int128 ParseInt128(ReadOnlySpan<char> digits)
    {
        Int128 v = 0;
        foreach (var c in digits)
        {
            v = (v * 10) + (c - '0');
        }

        return v;
    }

    // 1 to 7 digits of a second's fraction as 100 ns ticks.
    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long v = 0;
        for (var i = 0; i < 7; i++)
        {
            v = (v * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return v;
    }
}
