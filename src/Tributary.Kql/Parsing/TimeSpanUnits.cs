namespace Tributary.Kql.Parsing;

/// <summary>The unit suffixes of KQL timespan literals (<c>10min</c>, <c>2d</c>, <c>100ms</c>).</summary>
internal static class TimeSpanUnits
{
    public static bool TryGetTicks(string unit, out long ticks)
    {
        ticks = unit switch
        {
            "d" or "day" or "days" => TimeSpan.TicksPerDay,
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.TicksPerHour,
            "m" or "min" or "minute" or "minutes" => TimeSpan.TicksPerMinute,
            "s" or "sec" or "second" or "seconds" => TimeSpan.TicksPerSecond,
            "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.TicksPerMillisecond,
            "microsecond" or "microseconds" => 10,
            "tick" or "ticks" => 1,
            _ => 0,
        };
        return ticks != 0;
    }

    /// <summary>Parses a literal like <c>1.5h</c> into ticks.</summary>
    public static bool TryParse(string literal, out long ticks)
    {
        var i = 0;
        while (i < literal.Length && (char.IsAsciiDigit(literal[i]) || literal[i] == '.'))
        {
            i++;
        }

        ticks = 0;
        if (i == 0 || !TryGetTicks(literal[i..], out var unit) ||
            i > 28 || !decimal.TryParse(literal.AsSpan(0, i), System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        decimal value;
        try
        {
            value = decimal.Round(number * unit);
        }
        catch (OverflowException)
        {
            return false;
        }

        if (value > long.MaxValue)
        {
            return false;
        }

        ticks = (long)value;
        return true;
    }
}
