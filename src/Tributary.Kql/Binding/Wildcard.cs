using System.Text.RegularExpressions;

namespace Tributary.Kql.Binding;

/// <summary>Name patterns with <c>*</c> wildcards (<c>project-away Col*</c>, <c>union Staging*</c>), matched whole and case-sensitively.</summary>
internal static class Wildcard
{
    public static Regex Compile(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
}
