namespace Tributary.Kql.Patterns;

/// <summary>The capture groups of a regular expression, as RE2 numbers them.</summary>
public static class Re2Groups
{
    /// <summary>
    /// The capture groups of a pattern that <see cref="Re2Pattern.Check"/> accepts, in the order of their opening
    /// parentheses (group 1 first): the name of a <c>(?P&lt;name&gt;…)</c> group, null for an unnamed one. Escapes,
    /// character classes and non-capturing groups <c>(?…)</c> are skipped.
    /// </summary>
    public static IReadOnlyList<string?> Of(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var groups = new List<string?>();
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;

                // A ']' right after '[' or '[^' is a member, not the end of the class.
                i += pattern.AsSpan(i + 1).StartsWith("^]") ? 2 : pattern.AsSpan(i + 1).StartsWith("]") ? 1 : 0;
            }
            else if (c == '(' && (i + 1 >= pattern.Length || pattern[i + 1] != '?'))
            {
                groups.Add(null);
            }
            else if (c == '(' && pattern.AsSpan(i + 1).StartsWith("?P<"))
            {
                var end = pattern.IndexOf('>', i);
                groups.Add(pattern[(i + 4)..end]);
            }
        }

        return groups;
    }
}
