using DuckDB.NET.Data;

namespace Tributary.Store;

/// <summary>
/// What a failure of the engine while it runs a translated query means in the query's own terms: an overflow names
/// the operator, a datetime out of range says the range, running out of memory says so. The engine's own text never
/// reaches the user; <see cref="Detail"/> keeps it for <c>QueryLog</c>.
/// </summary>
internal static class EngineErrors
{
    private static readonly (string Marker, string Reason)[] Known =
    [
        ("Overflow in addition of", "a long overflowed in an addition ('+'): the sum is beyond ±9,223,372,036,854,775,807"),
        ("Overflow in subtraction of", "a long overflowed in a subtraction ('-'): the difference is beyond ±9,223,372,036,854,775,807"),
        ("Overflow in multiplication of", "a long overflowed in a multiplication ('*'): the product is beyond ±9,223,372,036,854,775,807"),
        ("Overflow in division of", "a long overflowed in a division ('/'): -9,223,372,036,854,775,808 / -1 has no long result"),
        ("Overflow on abs", "abs() of -9,223,372,036,854,775,808 has no long result"),
        ("Overflow in negation", "a long overflowed in a negation ('-'): -9,223,372,036,854,775,808 has no positive long"),
        ("out of range", "a datetime or timespan computed by the query is outside the range it can hold (datetimes run from 0001-01-01 to 9999-12-31)"),
        ("Out of Memory Error", "the query ran out of memory: narrow it (a where first, fewer columns, a smaller time range)"),
        ("Invalid Input Error: Could not convert", "a value could not be converted to the type the query asks for"),
        ("Conversion Error", "a value could not be converted to the type the query asks for"),
    ];

    /// <summary>The reason to show for an engine failure (never the engine's own message).</summary>
    public static string Describe(DuckDBException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var (marker, reason) in Known)
        {
            if (exception.Message.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return reason;
            }
        }

        return "the engine could not run the translated query (a gap in Tributary's translation, not in your query: the engine's message is in QueryLog)";
    }

    /// <summary>The engine's own first line, for <c>QueryLog</c> and diagnostics.</summary>
    public static string Detail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DuckDBException engine)
            {
                return TributaryStore.CleanEngineMessage(engine.Message);
            }
        }

        return "";
    }
}
