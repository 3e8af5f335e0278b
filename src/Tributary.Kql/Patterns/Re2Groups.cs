namespace Tributary.Kql.Patterns;

/// <summary>
/// The capturing groups of a regular expression that <see cref="Re2Pattern"/> accepts, numbered as RE2 numbers them
/// (by their opening parenthesis, from 1), with the names of those written <c>(?P&lt;name&gt;…)</c>.
/// </summary>
internal static class Re2Groups
{
    /// <summary>The name of each capturing group, in order (null for an unnamed one).</summary>
    public static IReadOnlyList<string?> Of(string pattern)
    {
        var groups = new List<string?>();
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = EndOfClass(pattern, i);
                    break;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    if (pattern.AsSpan(i).StartsWith("(?P<") && pattern.IndexOf('>', i) is var close and > 0)
                    {
                        groups.Add(pattern[(i + 4)..close]);
                    }

                    break;
                case '(':
                    groups.Add(null);
                    break;
            }
        }

        return groups;
    }

    // The index of the ']' that closes the class opened at start: a ']' first (after an optional '^') is a member.
    private static int EndOfClass(string pattern, int start)
    {
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        for (; i < pattern.Length && pattern[i] != ']'; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
        }

        return i;
    }
}
