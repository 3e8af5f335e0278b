namespace Tributary.Kql.Binding;

/// <summary>"did you mean" hints for unknown names, by edit distance.</summary>
internal static class Suggestions
{
    public static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = string.Equals(c, name, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(name, c);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        var limit = Math.Max(1, name.Length / 3);
        return best is not null && bestDistance <= limit ? $"; did you mean '{best}'?" : "";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
