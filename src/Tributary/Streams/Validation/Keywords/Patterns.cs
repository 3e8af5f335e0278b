using System.Text.RegularExpressions;

namespace Tributary.Streams.Validation.Keywords;

/// <summary>
/// Regular expressions of pattern and patternProperties. Draft-04 patterns are ECMA-262, unanchored; we use
/// .NET's engine (culture-invariant), non-backtracking (linear time, no catastrophic patterns) whenever the
/// pattern allows it, else backtracking with a match timeout.
/// </summary>
internal static class Patterns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it is not a valid expression.</summary>
    public static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine.
            return new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
        }
    }

    /// <summary>True when <paramref name="pattern"/> matches somewhere in <paramref name="text"/>; a timed-out match counts as no match.</summary>
    public static bool IsMatch(Regex pattern, ReadOnlySpan<char> text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
