using System.Globalization;
using System.Text;
using Tributary.Query;
using Xunit.Sdk;

namespace Tributary.Tests.Demo;

/// <summary>Compares a query's rows with expected rows exactly: same CLR types, datetimes and timespans to the tick.</summary>
public static class RowAssert
{
    /// <summary>The same rows in the same order.</summary>
    public static void Ordered(IReadOnlyList<string> columns, IReadOnlyList<object?[]> expected, QueryResult actual) =>
        Compare(columns, expected, actual, ordered: true);

    /// <summary>The same rows as multisets (the query's row order is not defined).</summary>
    public static void Unordered(IReadOnlyList<string> columns, IReadOnlyList<object?[]> expected, QueryResult actual) =>
        Compare(columns, expected, actual, ordered: false);

    /// <summary>One cell as text that tells every type and value apart (a long 3 is not an int 3).</summary>
    public static string Cell(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        DateTime d => $"datetime({d.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)},{d.Kind})",
        TimeSpan t => $"timespan({t.ToString("c", CultureInfo.InvariantCulture)})",
        long l => $"long({l.ToString(CultureInfo.InvariantCulture)})",
        int i => $"int({i.ToString(CultureInfo.InvariantCulture)})",
        double r => $"real({r.ToString("R", CultureInfo.InvariantCulture)})",
        bool b => b ? "true" : "false",
        _ => $"{value.GetType().Name}({Convert.ToString(value, CultureInfo.InvariantCulture)})",
    };

    public static string Row(object?[] row) => string.Join(" | ", row.Select(Cell));

    private static void Compare(IReadOnlyList<string> columns, IReadOnlyList<object?[]> expected, QueryResult actual, bool ordered)
    {
        Assert.Equal(columns, actual.Columns.Select(c => c.Name));
        var e = expected.Select(Row).ToList();
        var a = actual.Rows.Select(Row).ToList();
        if (!ordered)
        {
            e.Sort(StringComparer.Ordinal);
            a.Sort(StringComparer.Ordinal);
        }

        if (e.SequenceEqual(a, StringComparer.Ordinal))
        {
            return;
        }

        var message = new StringBuilder();
        message.AppendLine(CultureInfo.InvariantCulture, $"expected {e.Count} rows, got {a.Count}{(ordered ? " (ordered)" : " (as multisets)")}");
        if (ordered)
        {
            var first = Enumerable.Range(0, Math.Min(e.Count, a.Count)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Count, a.Count));
            message.AppendLine(CultureInfo.InvariantCulture, $"first difference at row {first}:");
            message.AppendLine("  expected: " + (first < e.Count ? e[first] : "(none)"));
            message.AppendLine("  actual:   " + (first < a.Count ? a[first] : "(none)"));
        }

        var missing = Subtract(e, a);
        var extra = Subtract(a, e);
        message.AppendLine(CultureInfo.InvariantCulture, $"missing ({missing.Count}):");
        foreach (var row in missing.Take(10))
        {
            message.AppendLine("  " + row);
        }

        message.AppendLine(CultureInfo.InvariantCulture, $"unexpected ({extra.Count}):");
        foreach (var row in extra.Take(10))
        {
            message.AppendLine("  " + row);
        }

        throw new XunitException(message.ToString());
    }

    private static List<string> Subtract(List<string> from, List<string> remove)
    {
        var counts = remove.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var left = new List<string>();
        foreach (var row in from)
        {
            if (counts.TryGetValue(row, out var n) && n > 0)
            {
                counts[row] = n - 1;
            }
            else
            {
                left.Add(row);
            }
        }

        return left;
    }
}
