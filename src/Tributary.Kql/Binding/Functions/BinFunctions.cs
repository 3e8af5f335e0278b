using System.Globalization;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// Rounding down to bins: bin, bin_at and floor. Bins floor (negative numbers too); datetime bins count from
/// 0001-01-01 as in Kusto, so <c>bin(t, 7d)</c> weeks start on Mondays.
/// </summary>
internal static class BinFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("bin", Arity.Exactly(2), "bin(value: number|datetime|timespan, size: same kind): same kind", "The value rounded down to a multiple of size.", c => Bin(c, c.Arg(0), c.Arg(1))),
        new("bin_at", Arity.Exactly(3), "bin_at(value: number|datetime|timespan, size: same kind, at: same as value): same as value", "The value rounded down to a bin of size, with bins aligned on at.", BinAt),
        new("floor", Arity.Between(1, 2), "floor(value: number [, size: same kind]): same kind", "The largest whole number not above the value; with a size, the same as bin.", Floor),
    ];

    private static SqlValue Floor(FunctionCall c) =>
        c.Count == 2 ? Bin(c, c.Arg(0), c.Arg(1)) : Derived($"floor({c.Arg(0).Sql})", c.Arg(0).Type, c.Arg(0));

    private static SqlValue Bin(FunctionCall c, SqlValue value, SqlValue size)
    {
        switch (value.Type)
        {
            case KqlType.DateTime:
                {
                    // Kusto bins datetimes from 0001-01-01, where ticks start: they are never negative, so division floors.
                    string ticks;
                    if (size is { IsConstant: true, Constant: TimeSpan })
                    {
                        ticks = BinSizeTicks(c, size).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        var s = c.Typed(size, KqlType.TimeSpan, "a timespan bin size");
                        ticks = $"greatest({s.Sql}, 1)";
                    }

                    return Derived($"(({value.Sql} // {ticks}) * {ticks})", KqlType.DateTime, value, size);
                }

            case KqlType.TimeSpan:
                {
                    var s = c.Typed(size, KqlType.TimeSpan, "a timespan bin size");
                    return Derived($"TRY_CAST(floor({value.Sql} / {s.Sql}) * {s.Sql} AS BIGINT)", KqlType.TimeSpan, value, s);
                }

            case KqlType.Int or KqlType.Long:
                if (size.Type is KqlType.Int or KqlType.Long)
                {
                    return Derived($"TRY_CAST(floor({value.Sql} / {size.Sql}) * {size.Sql} AS {KqlTypes.SqlType(value.Type)})", value.Type, value, size);
                }

                return Derived($"(floor({value.Sql} / {size.Sql}) * {size.Sql})", KqlType.Real, value, size);
            case KqlType.Real or KqlType.Decimal:
                return Derived($"(floor({value.Sql} / {size.Sql}) * {size.Sql})", value.Type, value, size);
            default:
                throw c.Error($"bin needs a number, datetime or timespan, not {KqlTypes.Name(value.Type)}");
        }
    }

    private static SqlValue BinAt(FunctionCall c)
    {
        var (value, size, at) = (c.Arg(0), c.Arg(1), c.Arg(2));
        if (value.Type == KqlType.DateTime)
        {
            // value minus how far it lies past the last bin boundary (a modulo that is never negative).
            var ticks = BinSizeTicks(c, size);
            var origin = c.DateTime(at).Sql;
            return Derived($"({value.Sql} - ((({value.Sql} - {origin}) % {ticks}) + {ticks}) % {ticks})", KqlType.DateTime, value, at);
        }

        return Derived($"(floor(({value.Sql} - {at.Sql}) / {size.Sql}) * {size.Sql} + {at.Sql})", value.Type, value, size, at);
    }

    private static long BinSizeTicks(FunctionCall c, SqlValue size)
    {
        if (size is { IsConstant: true, Constant: TimeSpan ts } && ts.Ticks > 0)
        {
            return ts.Ticks;
        }

        throw c.ArgError(1, "bin over datetimes needs a positive constant timespan size (like 1h or 10min)");
    }
}
