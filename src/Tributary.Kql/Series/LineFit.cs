namespace Tributary.Kql.Series;

/// <summary>
/// A least-squares line y = <see cref="Slope"/>·x + <see cref="Interception"/> through points of a series, and how
/// well it fits: <see cref="Variance"/> is the sample variance of the values, <see cref="RVariance"/> the residual
/// variance (the squared residuals' sum over n − 1, as Kusto's series_fit_line reports it) and
/// <see cref="RSquare"/> = 1 − residual sum / total sum (NaN for a constant series).
/// </summary>
internal readonly record struct LineFit(double RSquare, double Slope, double Interception, double Variance, double RVariance)
{
    /// <summary>The sum of the squared residuals (RVariance · (n − 1)), for combining fits.</summary>
    public double ResidualSum { get; init; }

    /// <summary>The sum of the squared deviations from the mean (Variance · (n − 1)).</summary>
    public double TotalSum { get; init; }

    /// <summary>The line's value at <paramref name="x"/>.</summary>
    public double At(double x) => (Slope * x) + Interception;

    /// <summary>
    /// Fits the points (x, y[i]) for i in [<paramref name="start"/>, <paramref name="end"/>) with x = i + 1 (Kusto's
    /// x axis starts at 1); NaN values are left out. With fewer than two points the line is flat through their mean.
    /// </summary>
    public static LineFit Of(ReadOnlySpan<double> y, int start, int end)
    {
        double n = 0, sumX = 0, sumY = 0;
        for (var i = start; i < end; i++)
        {
            if (!double.IsNaN(y[i]))
            {
                n++;
                sumX += i + 1;
                sumY += y[i];
            }
        }

        if (n == 0)
        {
            return new LineFit(double.NaN, 0, double.NaN, double.NaN, double.NaN);
        }

        var meanX = sumX / n;
        var meanY = sumY / n;
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = start; i < end; i++)
        {
            if (!double.IsNaN(y[i]))
            {
                var dx = i + 1 - meanX;
                var dy = y[i] - meanY;
                sxx += dx * dx;
                sxy += dx * dy;
                syy += dy * dy;
            }
        }

        var slope = sxx > 0 ? sxy / sxx : 0;
        var interception = meanY - (slope * meanX);
        // The residual sum of a least-squares line is syy − slope·sxy; clamp the rounding below zero.
        var residual = Math.Max(0, syy - (slope * sxy));
        var dof = n > 1 ? n - 1 : double.NaN;
        return new LineFit(1 - (residual / syy), slope, interception, syy / dof, residual / dof)
        {
            ResidualSum = residual,
            TotalSum = syy,
        };
    }
}
