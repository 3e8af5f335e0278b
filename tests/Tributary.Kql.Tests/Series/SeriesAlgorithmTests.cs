using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Tributary.Kql.Series;
using Tributary.Kql.Sketches;
using Tributary.Kql.Values;

namespace Tributary.Kql.Tests.Series;

/// <summary>The C# algorithms behind the series_* UDFs, tdigest and make_bag, on their own.</summary>
public sealed class SeriesAlgorithmTests
{
    public static Arbitrary<double[]> Samples() =>
        (from length in Gen.Choose(1, 70)
         from values in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 8.0), length)
         select values).ToArbitrary();

    [Property(Arbitrary = [typeof(SeriesAlgorithmTests)])]
    public void Fourier_OfAnyLength_IsTheDefinition_AndTheInverseGivesTheSeriesBack(double[] x)
    {
        var series = x.Select(v => (double?)v).ToList();
        var (re, im) = Fourier.Transform(series, null, inverse: false);
        for (var k = 0; k < x.Length; k++)
        {
            var expected = Enumerable.Range(0, x.Length).Aggregate(Complex.Zero, (sum, n) => sum + (x[n] * Complex.Exp(new Complex(0, -2 * Math.PI * k * n / x.Length))));
            Assert.Equal(expected.Real, re[k], 6);
            Assert.Equal(expected.Imaginary, im[k], 6);
        }

        var (back, backImaginary) = Fourier.Transform([.. re.Select(v => (double?)v)], [.. im.Select(v => (double?)v)], inverse: true);
        Assert.All(Enumerable.Range(0, x.Length), i => Assert.Equal(x[i], back[i], 6));
        Assert.All(backImaginary, v => Assert.Equal(0, v, 6));
    }

    [Property(Arbitrary = [typeof(SeriesAlgorithmTests)])]
    public void FillLinear_KeepsThePresentValues_AndLeavesNoGapBetweenThem(double[] x)
    {
        var series = x.Select((v, i) => i % 3 == 1 ? null : (double?)v).ToList();
        var filled = SeriesFill.Linear(series, null, fillEdges: true, constant: 0);

        Assert.All(Enumerable.Range(0, x.Length), i => Assert.Equal(series[i] ?? filled[i], filled[i]));
        Assert.DoesNotContain(null, filled);
    }

    [Property]
    public void FitPolynomial_RecoversAPolynomialExactly(sbyte a, sbyte b, sbyte c)
    {
        var y = Enumerable.Range(1, 12).Select(x => (a * x * x) + (b * x) + (double)c).ToArray();
        var fit = SeriesRegression.FitPolynomial(y, null, 2);

        Assert.Equal([a, b, c], fit.Coefficients.Select(v => Math.Round(v, 6)));
        Assert.All(fit.Fitted.Zip(y), p => Assert.Equal(p.Second, p.First, 6));
    }

    [Fact]
    public void FitLine_OfKustosExample_GivesItsNumbers()
    {
        var (fit, line) = SeriesRegression.FitLine(new double[] { 2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30 });

        Assert.Equal(2.7307692307692, fit.Slope, 12);
        Assert.Equal(-1.6666666666667, fit.Interception, 12);
        Assert.Equal(98.628787878788, fit.Variance, 9);
        Assert.Equal(1.6864801864802, fit.RVariance, 9);
        Assert.Equal(fit.At(1), line[0]);
    }

    [Fact]
    public void Outliers_ScoreOnlyPointsBeyondThePercentiles_AndAFlatSeriesScoresZero()
    {
        var scores = SeriesOutliers.Scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], 10, 90, ignore: null);
        Assert.Equal(11.25, scores[^1], 12);
        Assert.All(scores[1..9], s => Assert.Equal(0, s));

        Assert.All(SeriesOutliers.Scores([5, 5, 5, 5], 25, 75, ignore: null), s => Assert.Equal(0, s));
        var spike = SeriesOutliers.Scores([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], 25, 75, ignore: null);
        Assert.True(spike[^1] > 1.5);
    }

    [Fact]
    public void Periods_OfKustosTrafficExample_AreFourteenBins()
    {
        double?[] traffic = [80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170];
        var (periods, scores) = SeriesPeriods.Detect(traffic, 0, 50, 2);

        Assert.Equal([14.0, 0.0], periods);
        Assert.Equal(0.84, Math.Round(scores[0], 2));
        Assert.Equal([0.0, 0.0], SeriesPeriods.Validate(traffic, [3, 31]));
    }

    [Fact]
    public void Decompose_WithAPeriodLongerThanTheSeries_HasNoSeason()
    {
        var d = SeriesDecomposition.Decompose([1, 2, 3], int.MaxValue, TrendKind.Average, 0, 0.6);

        Assert.All(d.Seasonal, s => Assert.Equal(0, s));
        Assert.All(d.Baseline, b => Assert.Equal(2, b));
    }

    [Property]
    public void TDigest_MergedPercentile_IsThePercentileOfAllTheValues(int[] first, int[] second, byte percent)
    {
        var p = percent % 101;
        static string Digest(IEnumerable<int> values) => TDigest.Build(TDigestKind.Long, [.. values.Select(v => (string?)v.ToString(System.Globalization.CultureInfo.InvariantCulture))], null).ToJson();
        var merged = TDigest.Merge([Digest(first), Digest(second)])!;
        var all = TDigest.TryParse(Digest(first.Concat(second)), out var whole) ? whole : null;

        Assert.NotNull(all);
        Assert.Equal(all.Percentile(p), merged.Percentile(p));
        Assert.Equal(all.ToJson(), merged.ToJson());
    }

    [Fact]
    public void BagMerge_KeepsTheFirstValueOfAKey_SkipsNonBags_AndStopsAtTheLimit()
    {
        Assert.Equal("""{"a":1,"b":[2]}""", PropertyBags.Merge(["""{"a":1}""", "[1,2]", "not json", null, """{"a":9,"b":[2]}"""], 10));
        Assert.Equal("""{"a":1}""", PropertyBags.Merge(["""{"a":1,"b":2}"""], 1));
        Assert.Equal("{}", PropertyBags.Merge([], 10));
    }
}
