namespace Tributary.Kql.Series;

/// <summary>Linear least squares by Householder QR: the x minimizing |A·x − b|. Pure and thread-safe.</summary>
internal static class LeastSquares
{
    /// <summary>
    /// Solves for as many unknowns as <paramref name="a"/> has columns. A column that adds nothing (rank deficiency)
    /// gets 0; an empty system gives zeros.
    /// </summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var rows = a.GetLength(0);
        var cols = a.GetLength(1);
        var r = (double[,])a.Clone();
        var y = (double[])b.Clone();
        for (var k = 0; k < Math.Min(cols, rows); k++)
        {
            Reflect(r, y, k);
        }

        var x = new double[cols];
        for (var k = Math.Min(cols, rows) - 1; k >= 0; k--)
        {
            var sum = y[k];
            for (var j = k + 1; j < cols; j++)
            {
                sum -= r[k, j] * x[j];
            }

            x[k] = Math.Abs(r[k, k]) > 1e-12 * (1 + Math.Abs(r[0, 0])) ? sum / r[k, k] : 0;
        }

        return x;
    }

    // Applies the Householder reflection that zeroes column k below the diagonal to r and y.
    private static void Reflect(double[,] r, double[] y, int k)
    {
        var rows = r.GetLength(0);
        var cols = r.GetLength(1);
        double norm = 0;
        for (var i = k; i < rows; i++)
        {
            norm += r[i, k] * r[i, k];
        }

        norm = Math.Sqrt(norm);
        if (norm == 0)
        {
            return;
        }

        var alpha = r[k, k] > 0 ? -norm : norm;
        var v = new double[rows];
        v[k] = r[k, k] - alpha;
        for (var i = k + 1; i < rows; i++)
        {
            v[i] = r[i, k];
        }

        var vv = 0.0;
        for (var i = k; i < rows; i++)
        {
            vv += v[i] * v[i];
        }

        for (var j = k; j < cols; j++)
        {
            var dot = 0.0;
            for (var i = k; i < rows; i++)
            {
                dot += v[i] * r[i, j];
            }

            for (var i = k; i < rows; i++)
            {
                r[i, j] -= 2 * dot / vv * v[i];
            }
        }

        var dy = 0.0;
        for (var i = k; i < rows; i++)
        {
            dy += v[i] * y[i];
        }

        for (var i = k; i < rows; i++)
        {
            y[i] -= 2 * dy / vv * v[i];
        }
    }
}
