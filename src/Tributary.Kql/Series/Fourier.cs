using System.Numerics;

namespace Tributary.Kql.Series;

/// <summary>
/// The discrete Fourier transform of series_fft and series_ifft: X[k] = Σ x[n]·e^(−2πikn/N), and the inverse with
/// e^(+2πikn/N) and a factor 1/N, so that ifft(fft(x)) = x. Any length: radix-2 for powers of two, Bluestein's
/// algorithm (a radix-2 convolution) otherwise. Pure and thread-safe.
/// </summary>
internal static class Fourier
{
    /// <summary>The transform (or its inverse) of the complex series real + i·imaginary (missing parts are 0).</summary>
    public static (double[] Real, double[] Imaginary) Transform(IReadOnlyList<double?> real, IReadOnlyList<double?>? imaginary, bool inverse)
    {
        var n = real.Count;
        var x = new Complex[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = new Complex(real[i] ?? 0, imaginary is not null && i < imaginary.Count ? imaginary[i] ?? 0 : 0);
        }

        var y = inverse ? Inverse(x) : Forward(x);
        return ([.. y.Select(c => c.Real)], [.. y.Select(c => c.Imaginary)]);
    }

    private static Complex[] Forward(Complex[] x) => IsPowerOfTwo(x.Length) ? Radix2(x, inverse: false) : Bluestein(x);

    // ifft(x) = conj(fft(conj(x))) / N
    private static Complex[] Inverse(Complex[] x)
    {
        var y = Forward([.. x.Select(Complex.Conjugate)]);
        return [.. y.Select(c => Complex.Conjugate(c) / x.Length)];
    }

    private static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    private static Complex[] Radix2(Complex[] input, bool inverse)
    {
        var n = input.Length;
        var a = (Complex[])input.Clone();
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (a[i], a[j]) = (a[j], a[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var angle = 2 * Math.PI / length * (inverse ? 1 : -1);
            var root = new Complex(Math.Cos(angle), Math.Sin(angle));
            for (var start = 0; start < n; start += length)
            {
                var w = Complex.One;
                for (var k = 0; k < length / 2; k++)
                {
                    var even = a[start + k];
                    var odd = a[start + k + (length / 2)] * w;
                    a[start + k] = even + odd;
                    a[start + k + (length / 2)] = even - odd;
                    w *= root;
                }
            }
        }

        return a;
    }

    // X[k] = conj(w[k]) · Σ (x[n]·conj(w[n])) · w[k − n], with w[m] = e^(iπm²/N): a convolution done with radix-2 FFTs.
    private static Complex[] Bluestein(Complex[] x)
    {
        var n = x.Length;
        if (n == 0)
        {
            return [];
        }

        var m = 1;
        while (m < (2 * n) - 1)
        {
            m <<= 1;
        }

        var chirp = new Complex[n];
        for (var k = 0; k < n; k++)
        {
            // k² mod 2N keeps the angle exact for long series.
            var angle = Math.PI * ((long)k * k % (2L * n)) / n;
            chirp[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }

        var a = new Complex[m];
        var b = new Complex[m];
        for (var k = 0; k < n; k++)
        {
            a[k] = x[k] * Complex.Conjugate(chirp[k]);
        }

        b[0] = chirp[0];
        for (var k = 1; k < n; k++)
        {
            b[k] = b[m - k] = chirp[k];
        }

        var fa = Radix2(a, inverse: false);
        var fb = Radix2(b, inverse: false);
        var product = new Complex[m];
        for (var k = 0; k < m; k++)
        {
            product[k] = fa[k] * fb[k];
        }

        var convolution = Radix2(product, inverse: true);
        var result = new Complex[n];
        for (var k = 0; k < n; k++)
        {
            result[k] = convolution[k] / m * Complex.Conjugate(chirp[k]);
        }

        return result;
    }
}
