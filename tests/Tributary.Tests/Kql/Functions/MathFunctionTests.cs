using Tributary.Kql;

namespace Tributary.Tests.Kql.Functions;

/// <summary>Math functions against the examples of Kusto's documentation, and their answers outside their domain.</summary>
public sealed class MathFunctionTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private static string Real(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("log(5)", 1.6094379124341003)]
    [InlineData("log10(5)", 0.69897000433601886)]
    [InlineData("log2(5)", 2.3219280948873622)]
    [InlineData("gamma(5)", 24.0)]
    [InlineData("loggamma(5)", 3.1780538303479458)]
    [InlineData("exp2(3)", 8.0)]
    [InlineData("exp10(2)", 100.0)]
    [InlineData("cot(1)", 0.64209261593433065)]
    [InlineData("atan2(1, 1)", 0.785398163397448)]
    [InlineData("atan2(0, -1)", 3.14159265358979)]
    [InlineData("atan2(-1, 0)", -1.5707963267949)]
    [InlineData("degrees(pi() / 4)", 45.0)]
    [InlineData("degrees(pi() * 1.5)", 270.0)]
    [InlineData("degrees(0)", 0.0)]
    [InlineData("radians(90)", 1.5707963267949)]
    [InlineData("radians(180)", 3.14159265358979)]
    [InlineData("radians(360)", 6.28318530717959)]
    [InlineData("sign(-42)", -1.0)]
    [InlineData("sign(0)", 0.0)]
    [InlineData("sign(11.2)", 1.0)]
    [InlineData("round(2.98765, 3)", 2.988)]
    [InlineData("round(2.15, 1)", 2.2)]
    [InlineData("round(2.15)", 2.0)]
    [InlineData("round(-50.55, -2)", -100.0)]
    [InlineData("round(21.5, -1)", 20.0)]
    [InlineData("sin(pi() / 2)", 1.0)]
    [InlineData("cos(0)", 1.0)]
    [InlineData("tan(pi() / 4)", 1.0)]
    [InlineData("asin(1)", 1.5707963267949)]
    [InlineData("acos(-1)", 3.14159265358979)]
    [InlineData("atan(1)", 0.785398163397448)]
    [InlineData("pi()", 3.14159265358979)]
    [InlineData("pow(2, 10)", 1024.0)]
    [InlineData("sqrt(16)", 4.0)]
    public void Function_MatchesKustosDocumentedValue(string expression, double expected)
    {
        // Kusto's pages print some values to 15 significant digits.
        Assert.Equal(expected, Assert.IsType<double>(store.Print(expression)), 12);
    }

    [Fact]
    public void ErfAndErfc_MatchTheDocumentedTables()
    {
        var result = store.Run("range x from -3 to 3 step 1 | extend e = erf(x), c = erfc(x)");
        double[] erf = [-0.999977909503001, -0.995322265018953, -0.842700792949715, 0, 0.842700792949715, 0.995322265018953, 0.999977909503001];
        double[] erfc = [1.999977909503001, 1.995322265018953, 1.842700792949715, 1, 0.157299207050285, 0.00467773498104727, 2.20904969985854E-05];
        Assert.All(erf.Zip(result.Column("e").Cast<double>()), p => Assert.Equal(p.First, p.Second, 14));
        Assert.All(erfc.Zip(result.Column("c").Cast<double>()), p => Assert.Equal(p.First, p.Second, 1e-14 * Math.Abs(p.First)));
    }

    [Theory]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.5, 0.9661051464753108, 0.033894853524689274)]
    [InlineData(6, 1.0, 2.1519736712498916E-17)]
    [InlineData(10, 1.0, 2.088487583762545E-45)]
    public void ErfAndErfc_AreAccurateOnBothSidesOfTheSeriesLimit(double x, double erf, double erfc)
    {
        var row = store.Run($"print e = erf({Real(x)}), c = erfc({Real(x)})");
        Assert.Equal(erf, (double)row.Single("e")!, 1e-15);
        Assert.Equal(erfc, (double)row.Single("c")!, Math.Abs(erfc) * 1e-13);
    }

    [Fact]
    public void BetaFunctions_MatchTheDocumentedTables()
    {
        var cdf = store.Run("datatable(x:double, alpha:double, beta:double)[0.9, 10.0, 20.0, 1.5, 10.0, 20.0, double(-10), 10.0, 20.0, 0.1, double(-1.0), 20.0] | extend b = beta_cdf(x, alpha, beta)");
        Assert.Equal(0.999999999999959, (double)cdf.Column("b")[0]!, 1e-14);
        Assert.Equal([double.NaN, double.NaN, double.NaN], cdf.Column("b").Skip(1));

        var inv = store.Run("datatable(p:double, alpha:double, beta:double)[0.1, 10.0, 20.0, 1.5, 10.0, 20.0, 0.1, double(-1.0), 20.0] | extend b = beta_inv(p, alpha, beta)");
        Assert.Equal(0.226415022388749, (double)inv.Column("b")[0]!, 1e-13);
        Assert.Null(inv.Column("b")[1]);
        Assert.Equal(double.NaN, inv.Column("b")[2]);

        var pdf = store.Run("datatable(x:double, alpha:double, beta:double)[0.5, 10.0, 20.0, 1.5, 10.0, 20.0, double(-10), 10.0, 20.0, 0.1, double(-1.0), 20.0] | extend r = beta_pdf(x, alpha, beta)");
        Assert.Equal(0.746176019310951, (double)pdf.Column("r")[0]!, 1e-13);
        Assert.Equal([double.NaN, double.NaN, double.NaN], pdf.Column("r").Skip(1));
    }

    [Theory]
    [InlineData(0.3, 2.0, 5.0)]
    [InlineData(0.5, 0.5, 0.5)]
    [InlineData(0.95, 100.0, 3.0)]
    [InlineData(0.01, 1.0, 1.0)]
    public void BetaInv_InvertsBetaCdf(double x, double alpha, double beta)
    {
        var (sx, sa, sb) = (Real(x), Real(alpha), Real(beta));
        Assert.Equal(x, (double)store.Print($"beta_inv(beta_cdf({sx}, {sa}, {sb}), {sa}, {sb})")!, 1e-9);
    }

    [Theory]
    [InlineData("sqrt(-1)")]
    [InlineData("log(-1)")]
    [InlineData("log10(-1)")]
    [InlineData("log2(-0.5)")]
    [InlineData("asin(2)")]
    [InlineData("acos(-1.5)")]
    [InlineData("rand(0)")]
    [InlineData("sqrt(real(null))")]
    public void Function_OutsideItsDomain_IsNull(string expression)
    {
        Assert.Null(store.Print(expression));
    }

    [Theory]
    [InlineData("log(0)", double.NegativeInfinity)]
    [InlineData("log10(0)", double.NegativeInfinity)]
    [InlineData("log2(0)", double.NegativeInfinity)]
    [InlineData("cot(0)", double.PositiveInfinity)]
    [InlineData("gamma(0)", double.PositiveInfinity)]
    [InlineData("loggamma(0)", double.PositiveInfinity)]
    [InlineData("loggamma(-2)", double.PositiveInfinity)]
    [InlineData("exp(1000)", double.PositiveInfinity)]
    [InlineData("sin(1.0 / 0)", double.NaN)]
    [InlineData("cos(-1.0 / 0)", double.NaN)]
    [InlineData("tan(1.0 / 0)", double.NaN)]
    [InlineData("cot(1.0 / 0)", double.NaN)]
    [InlineData("sqrt(0.0 / 0)", double.NaN)]
    [InlineData("log(0.0 / 0)", double.NaN)]
    [InlineData("asin(0.0 / 0)", double.NaN)]
    [InlineData("sign(0.0 / 0)", double.NaN)]
    [InlineData("pow(-8, 1.0 / 3)", double.NaN)]
    public void Function_AtAnEdge_AnswersAsDotNetMathDoes(string expression, double expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void IsInfAndIsFinite_MatchTheDocumentedExample()
    {
        var result = store.Run("range x from -1 to 1 step 1 | extend y = 0.0 | extend div = 1.0 * x / y | extend i = isinf(div), f = isfinite(div), n = isnan(div)");
        Assert.Equal([double.NegativeInfinity, double.NaN, double.PositiveInfinity], result.Column("div"));
        Assert.Equal([true, false, true], result.Column("i"));
        Assert.Equal([false, false, false], result.Column("f"));
        Assert.Equal([false, true, false], result.Column("n"));
        Assert.Equal(true, store.Print("isfinite(42)"));
    }

    [Fact]
    public void Functions_OfAColumn_ComputeRowByRow()
    {
        var result = store.Run("range x from -1 to 2 step 1 | extend s = sqrt(x), l = log10(x * 10), e = exp2(x)");
        Assert.Equal([null, 0.0, 1.0, Math.Sqrt(2)], result.Column("s"));
        Assert.Equal([null, double.NegativeInfinity, 1.0, Math.Log10(20)], result.Column("l"));
        Assert.Equal([0.5, 1.0, 2.0, 4.0], result.Column("e"));
    }

    [Fact]
    public void Around_MatchesTheDocumentedExample()
    {
        var result = store.Run("range dt from datetime(2021-01-01 01:00) to datetime(2021-01-01 02:00) step 1min | where around(dt, datetime(2021-01-01 01:30), 1min)");
        Assert.Equal(
            [new DateTime(2021, 1, 1, 1, 29, 0, DateTimeKind.Utc), new DateTime(2021, 1, 1, 1, 30, 0, DateTimeKind.Utc), new DateTime(2021, 1, 1, 1, 31, 0, DateTimeKind.Utc)],
            result.Column("dt"));
    }

    [Theory]
    [InlineData("around(10, 12, 2)", true)]
    [InlineData("around(9.9, 12, 2)", false)]
    [InlineData("around(9223372036854775807, 9223372036854775806, 2)", true)]
    [InlineData("around(1h, 50m, 10m)", true)]
    [InlineData("around(1h, 50m, 9m)", false)]
    public void Around_ComparesNumbersAndTimespans(string expression, bool expected)
    {
        Assert.Equal(expected, store.Print(expression));
    }

    [Fact]
    public void Around_OfANull_IsNull()
    {
        Assert.Null(store.Print("around(long(null), 1, 1)"));
    }

    [Fact]
    public void Rand_DrawsPerRowWithinItsRange()
    {
        var result = store.Run("range i from 1 to 200 step 1 | extend a = rand(), b = rand(10)");
        var a = result.Column("a").Cast<double>().ToList();
        var b = result.Column("b").Cast<double>().ToList();
        Assert.All(a, v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.All(b, v => Assert.True(v is >= 0 and <= 9 && v == Math.Floor(v), $"rand(10) gave {v}"));
        Assert.True(a.Distinct().Count() > 150, "rand() repeats itself across rows");
        Assert.True(b.Distinct().Count() > 5, "rand(10) draws few values");
    }

    [Theory]
    [InlineData("sqrt('4')", 16, "sqrt() expects a number (int, long, real or decimal) but argument 1 is string")]
    [InlineData("atan2(1, true)", 20, "atan2() expects a number (int, long, real or decimal) but argument 2 is bool")]
    [InlineData("around(now(), 1, 1h)", 25, "around() expects a datetime but argument 2 is long")]
    [InlineData("round(2.5, 1.5)", 22, "round() expects a whole number (int or long) but argument 2 is real")]
    public void Function_WithAWrongArgument_IsAnErrorAtTheArgument(string expression, int column, string message)
    {
        var e = Assert.Throws<KqlException>(() => store.Run($"print r = {expression}"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((1, column), (e.Line, e.Column));
    }
}
