using System.Text.RegularExpressions;

namespace Tributary.Cli;

/// <summary>Parse errors in the words of the CLI: the option and what it takes, not the .NET type behind it.</summary>
internal static partial class CliErrors
{
    /// <summary>
    /// Rewrites System.CommandLine's "Cannot parse argument 'x' for option '--n' as expected type 'System.Nullable`1[System.Int32]'."
    /// as "--n takes a whole number, not 'x'"; other messages pass unchanged.
    /// </summary>
    public static string Plain(string message)
    {
        var m = CannotParse().Match(message);
        if (!m.Success)
        {
            return message;
        }

        var type = m.Groups["type"].Value;
        var what = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) ? "a number"
            : "a value of another kind";
        return $"{m.Groups["option"].Value} takes {what}, not '{m.Groups["value"].Value}'";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|argument) '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();
}
