namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// The error function and its complement (the engine has neither), to about 15 significant digits: near 0 by the
/// series erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), whose terms are all positive; away from 0 by the
/// continued fraction erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), so erfc keeps its precision
/// where it is tiny. erf(±∞) = ±1, erfc(+∞) = 0, erfc(-∞) = 2; NaN stays NaN.
/// </summary>
internal static class ErrorFunctionUdfs
{
    /// <summary>Below this the series is used, above it the continued fraction.</summary>
    private const double SeriesLimit = 1.5;

    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<double, double>("kql_erf", Erf),
        ScalarUdf.Create<double, double>("kql_erfc", Erfc),
    ];

    public static double Erf(double x) => x switch
    {
        double.NaN => double.NaN,
        > -SeriesLimit and < SeriesLimit => Series(x),
        _ => Math.CopySign(1 - ContinuedFraction(Math.Abs(x)), x),
    };

    public static double Erfc(double x) => x switch
    {
        double.NaN => double.NaN,
        < 0 => 2 - Erfc(-x),
        < SeriesLimit => 1 - Series(x),
        _ => ContinuedFraction(x),
    };

    private static double Series(double x)
    {
        var term = x;
        var sum = x;
        var twiceSquare = 2 * x * x;
        for (var n = 1; Math.Abs(term) > Math.Abs(sum) * 1e-17; n++)
        {
            term *= twiceSquare / ((2 * n) + 1);
            sum += term;
        }

        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }

    // Lentz's method for the continued fraction, for x >= SeriesLimit (where it converges in a few dozen steps).
    private static double ContinuedFraction(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 0;
        }

        const double Tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 1000; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? 1 / Tiny : 1 / d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
