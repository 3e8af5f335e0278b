namespace Tributary.Kql.Binding.Udfs;

/// <summary>
/// The beta distribution's density, cumulative distribution and its inverse, to about 14 significant digits: the
/// density from the log-gamma function (Lanczos' approximation), the cumulative distribution as the regularized
/// incomplete beta function by its continued fraction, the inverse by bisection. Outside their domains they answer as
/// Kusto documents: NaN for a bad x, alpha or beta, null for a probability outside (0, 1].
/// </summary>
internal static class BetaDistributionUdfs
{
    /// <summary>The largest alpha or beta beta_cdf takes, as Kusto documents.</summary>
    private const double MaxShape = 10000;

    // Lanczos' coefficients for g = 7, n = 9.
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static IReadOnlyList<ScalarUdf> All { get; } =
    [
        ScalarUdf.Create<double, double, double, double>("kql_beta_pdf", Density),
        ScalarUdf.Create<double, double, double, double>("kql_beta_cdf", Cumulative),
        ScalarUdf.Create<double, double, double, double?>("kql_beta_inv", Inverse),
    ];

    public static double Density(double x, double alpha, double beta) =>
        x is > 0 and < 1 && alpha > 0 && beta > 0
            ? Math.Exp(((alpha - 1) * Math.Log(x)) + ((beta - 1) * Math.Log(1 - x)) - LogBeta(alpha, beta))
            : double.NaN;

    public static double Cumulative(double x, double alpha, double beta)
    {
        if (x is not (>= 0 and <= 1) || alpha is not (> 0 and <= MaxShape) || beta is not (> 0 and <= MaxShape))
        {
            return double.NaN;
        }

        if (x is 0 or 1)
        {
            return x;
        }

        var front = Math.Exp((alpha * Math.Log(x)) + (beta * Math.Log(1 - x)) - LogBeta(alpha, beta));

        // The continued fraction converges quickly below the mean; above it, use I_x(a, b) = 1 - I_(1-x)(b, a).
        return x < (alpha + 1) / (alpha + beta + 2)
            ? front * ContinuedFraction(x, alpha, beta) / alpha
            : 1 - (front * ContinuedFraction(1 - x, beta, alpha) / beta);
    }

    public static double? Inverse(double probability, double alpha, double beta)
    {
        if (probability is not (> 0 and <= 1))
        {
            return null;
        }

        if (alpha is not (> 0 and <= MaxShape) || beta is not (> 0 and <= MaxShape))
        {
            return double.NaN;
        }

        // The cumulative distribution rises from 0 to 1 on [0, 1]: halve the interval until it cannot shrink.
        double low = 0, high = 1;
        for (var i = 0; i < 200 && high - low > 1e-17; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = Cumulative(middle, alpha, beta) < probability ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    private static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    // The continued fraction of the incomplete beta function (modified Lentz), for x below the mean.
    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        var c = 1.0;
        var d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m <= 10000; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / NonZero(1 + (even * d));
            c = NonZero(1 + (even / c));
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / NonZero(1 + (odd * d));
            c = NonZero(1 + (odd / c));
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return h;

        static double NonZero(double v) => Math.Abs(v) < Tiny ? Tiny : v;
    }
}
