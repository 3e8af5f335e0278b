namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// Decimal division kept exact to 18 places (the engine divides decimals through doubles): null for a zero divisor or
/// a quotient beyond what a decimal column holds (±10^20).
/// </summary>
internal static class DecimalUdfs
{
    private static readonly decimal Limit = 100_000_000_000_000_000_000m;

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<decimal, decimal, decimal?>("kql_decimal_divide", Divide),
    ];

    private static decimal? Divide(decimal dividend, decimal divisor)
    {
        if (divisor == 0)
        {
            return null;
        }

        // A quotient that does not fit .NET's decimal certainly does not fit the column either.
        if (Math.Abs(divisor) < 1 && Math.Abs(dividend) >= Limit * Math.Abs(divisor))
        {
            return null;
        }

        var quotient = Math.Round(dividend / divisor, 18, MidpointRounding.ToEven);
        return Math.Abs(quotient) < Limit ? quotient : null;
    }
}
