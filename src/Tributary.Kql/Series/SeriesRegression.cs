namespace Tributary.Kql.Series;

/// <summary>Kusto's series_fit_line, series_fit_2lines and series_fit_poly over one series. Pure and thread-safe.</summary>
internal static class SeriesRegression
{
    /// <summary>One line through the whole series, and its values at every point.</summary>
    public static (LineFit Fit, double[] Line) FitLine(ReadOnlySpan<double> y)
    {
        var fit = LineFit.Of(y, 0, y.Length);
        var line = new double[y.Length];
        for (var i = 0; i < line.Length; i++)
        {
            line[i] = fit.At(i + 1);
        }

        return (fit, line);
    }

    /// <summary>
    /// The best split of the series into two lines: every split leaving at least two points on each side is tried, and
    /// the one with the smallest total residual (the largest r-square) wins. <see cref="TwoLines.SplitIndex"/> is the
    /// first point of the right line; x stays the position in the whole series (1-based) on both sides. A series of
    /// fewer than four points has no split: split index 0, the right line is the whole fit and the left one is empty.
    /// </summary>
    public static TwoLines FitTwoLines(ReadOnlySpan<double> y)
    {
        var whole = LineFit.Of(y, 0, y.Length);
        var best = -1;
        var bestResidual = double.PositiveInfinity;
        for (var split = 2; split <= y.Length - 2; split++)
        {
            var residual = LineFit.Of(y, 0, split).ResidualSum + LineFit.Of(y, split, y.Length).ResidualSum;
            if (residual < bestResidual)
            {
                bestResidual = residual;
                best = split;
            }
        }

        if (best < 0)
        {
            var (_, line) = FitLine(y);
            return new TwoLines(whole.RSquare, 0, whole.Variance, whole.RVariance, line, whole, LineFit.Of(y, 0, 0));
        }

        var left = LineFit.Of(y, 0, best);
        var right = LineFit.Of(y, best, y.Length);
        var fitted = new double[y.Length];
        for (var i = 0; i < fitted.Length; i++)
        {
            fitted[i] = (i < best ? left : right).At(i + 1);
        }

        var rsquare = 1 - (bestResidual / whole.TotalSum);
        return new TwoLines(rsquare, best, whole.Variance, bestResidual / (y.Length - 1), fitted, right, left);
    }

    /// <summary>
    /// The least-squares polynomial of <paramref name="degree"/> through (x[i], y[i]) (x = 1, 2, … when null), by QR
    /// decomposition. Coefficients run from the highest power to the constant, as Kusto lists them. Points where x or
    /// y is NaN are left out of the fit.
    /// </summary>
    public static PolynomialFit FitPolynomial(double[] y, double[]? x, int degree)
    {
        var xs = new double[y.Length];
        for (var i = 0; i < xs.Length; i++)
        {
            xs[i] = x is null ? i + 1 : i < x.Length ? x[i] : double.NaN;
        }

        var used = Enumerable.Range(0, y.Length).Where(i => !double.IsNaN(y[i]) && !double.IsNaN(xs[i])).ToArray();
        var columns = Math.Min(degree + 1, Math.Max(used.Length, 1));
        var design = new double[used.Length, columns];
        var target = new double[used.Length];
        for (var r = 0; r < used.Length; r++)
        {
            target[r] = y[used[r]];
            for (var c = 0; c < columns; c++)
            {
                design[r, c] = Math.Pow(xs[used[r]], c);
            }
        }

        var ascending = LeastSquares.Solve(design, target);
        var coefficients = new double[degree + 1];
        for (var c = 0; c < ascending.Length; c++)
        {
            coefficients[degree - c] = ascending[c];
        }

        var fitted = xs.Select(v => Evaluate(coefficients, v)).ToArray();
        var mean = used.Length == 0 ? double.NaN : used.Average(i => y[i]);
        double total = 0, residual = 0;
        foreach (var i in used)
        {
            total += (y[i] - mean) * (y[i] - mean);
            residual += (y[i] - fitted[i]) * (y[i] - fitted[i]);
        }

        var dof = used.Length > 1 ? used.Length - 1 : double.NaN;
        return new PolynomialFit(1 - (residual / total), coefficients, total / dof, residual / dof, fitted);
    }

    // Horner's rule, coefficients from the highest power down.
    private static double Evaluate(double[] coefficients, double x)
    {
        var value = 0.0;
        foreach (var c in coefficients)
        {
            value = (value * x) + c;
        }

        return value;
    }
}

/// <summary>The result of <see cref="SeriesRegression.FitTwoLines"/>: the whole fit, then each side's line.</summary>
internal sealed record TwoLines(double RSquare, int SplitIndex, double Variance, double RVariance, double[] Line, LineFit Right, LineFit Left);

/// <summary>The result of <see cref="SeriesRegression.FitPolynomial"/>.</summary>
internal sealed record PolynomialFit(double RSquare, double[] Coefficients, double Variance, double RVariance, double[] Fitted);
