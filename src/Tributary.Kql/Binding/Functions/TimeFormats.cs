using System.Text;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Translates the .NET-style formats of <c>format_datetime</c> (yyyy-MM-dd HH:mm:ss.fff) and <c>format_timespan</c>
/// (dd.hh:mm:ss.fff) into SQL that builds the text. A format is a sequence of runs of one letter (a field) and of
/// delimiters, which are copied; a letter run that is no field is an error at the format.
/// </summary>
internal static class TimeFormats
{
    private const string DateTimeFields = "yyyy yy y MM M dd d HH H hh h mm m ss s f…fffffff F…FFFFFFF tt";
    private const string TimeSpanFields = "d…dddddddd HH H hh h mm m ss s f…fffffff F…FFFFFFF";

    /// <summary>
    /// SQL for the datetime <paramref name="ticks"/> in <paramref name="format"/>: strftime for the fields, slices of the
    /// seven digits of the second's fraction for fractions (f… keeps digits, F… drops trailing zeros and, when nothing is
    /// left, the '.' before it).
    /// </summary>
    public static string DateTimeSql(string ticks, string format, SourcePosition pos)
    {
        var value = Sql.TicksToTimestamp(ticks);
        var parts = new List<string>();
        var pending = new StringBuilder();
        void Flush()
        {
            if (pending.Length > 0)
            {
                parts.Add($"strftime({value}, {Sql.String(pending.ToString())})");
                pending.Clear();
            }
        }

        foreach (var (c, run) in Runs(format))
        {
            if (c is 'f' or 'F' && run <= 7)
            {
                var dot = c == 'F' && pending.Length > 0 && pending[^1] == '.';
                if (dot)
                {
                    pending.Length--;
                }

                Flush();
                parts.Add(Fraction($"lpad(CAST({ticks} % 10000000 AS VARCHAR), 7, '0')", c, run, dot));
                continue;
            }

            string? piece = (c, run) switch
            {
                ('y', 4) => "%Y",
                ('y', 2) => "%y",
                ('y', 1) => "%-y",
                ('M', 2) => "%m",
                ('M', 1) => "%-m",
                ('d', 2) => "%d",
                ('d', 1) => "%-d",
                ('H', 2) => "%H",
                ('H', 1) => "%-H",
                ('h', 2) => "%I",
                ('h', 1) => "%-I",
                ('m', 2) => "%M",
                ('m', 1) => "%-M",
                ('s', 2) => "%S",
                ('s', 1) => "%-S",
                ('t', 2) => "%p",
                _ => null,
            };
            if (piece is not null)
            {
                pending.Append(piece);
            }
            else if (char.IsLetter(c))
            {
                throw Unsupported("format_datetime", c, run, DateTimeFields, pos);
            }
            else
            {
                pending.Append(c == '%' ? "%%" : new string(c, run));
            }
        }

        Flush();
        return Concat(parts);
    }

    /// <summary>
    /// SQL for the timespan <paramref name="ticks"/> (100 ns) in <paramref name="format"/>. As in .NET, every field is of
    /// the span's absolute value and no sign is written; days are whole days, hours 0 to 23.
    /// </summary>
    public static string TimeSpanSql(string ticks, string format, SourcePosition pos)
    {
        var t = $"abs(CAST({ticks} AS HUGEINT))";
        var parts = new List<string>();
        foreach (var (c, run) in Runs(format))
        {
            string? field = c switch
            {
                'd' when run <= 8 => $"{t} // 864000000000",
                'h' or 'H' when run <= 2 => $"({t} // 36000000000) % 24",
                'm' when run <= 2 => $"({t} // 600000000) % 60",
                's' when run <= 2 => $"({t} // 10000000) % 60",
                _ => null,
            };
            if (field is not null)
            {
                parts.Add(run == 1 ? $"CAST({field} AS VARCHAR)" : $"lpad(CAST({field} AS VARCHAR), {run}, '0')");
            }
            else if (c is 'f' or 'F' && run <= 7)
            {
                parts.Add(Fraction($"lpad(CAST({t} % 10000000 AS VARCHAR), 7, '0')", c, run, dot: false));
            }
            else if (char.IsLetter(c))
            {
                throw Unsupported("format_timespan", c, run, TimeSpanFields, pos);
            }
            else
            {
                parts.Add(Sql.String(new string(c, run)));
            }
        }

        return Concat(parts);
    }

    /// <summary>The first <paramref name="run"/> of the seven fraction digits; F drops trailing zeros (and a '.' before nothing).</summary>
    private static string Fraction(string sevenDigits, char c, int run, bool dot)
    {
        var digits = $"substr({sevenDigits}, 1, {run})";
        return c == 'f' ? digits
            : dot ? $"(CASE WHEN rtrim({digits}, '0') = '' THEN '' ELSE '.' || rtrim({digits}, '0') END)"
            : $"rtrim({digits}, '0')";
    }

    /// <summary>The format as runs of one character: "yyyy-MM" is (y, 4), (-, 1), (M, 2).</summary>
    private static IEnumerable<(char Char, int Run)> Runs(string format)
    {
        var i = 0;
        while (i < format.Length)
        {
            var run = 1;
            while (i + run < format.Length && format[i + run] == format[i])
            {
                run++;
            }

            yield return (format[i], run);
            i += run;
        }
    }

    private static KqlException Unsupported(string function, char c, int run, string supported, SourcePosition pos) =>
        pos.Error($"{function}: unsupported format '{new string(c, run)}' (supported: {supported})");

    private static string Concat(List<string> parts) =>
        parts.Count == 0 ? "''" : parts.Count == 1 ? parts[0] : "concat(" + string.Join(", ", parts) + ")";
}
