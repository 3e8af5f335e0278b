using System.Globalization;
using System.Text;

namespace Tributary.Cli.Tests;

/// <summary>What a CLI run must look like, and its CSV output read back.</summary>
internal static class CliAssert
{
    /// <summary>Exit code 0 and no error on stderr.</summary>
    public static CliResult Ok(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("error:", r.Stderr, StringComparison.Ordinal);
        return r;
    }

    /// <summary>A user's mistake: exit code 1, nothing on stdout, one <c>error:</c> line on stderr, no stack trace.</summary>
    public static string UserError(CliResult r)
    {
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.True(r.Stdout.Length == 0, "stdout should be empty\n" + r);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.True(lines.Length == 1, "stderr should be one line\n" + r);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", r.Stderr, StringComparison.Ordinal);
        return lines[0];
    }

    /// <summary>RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks) as rows of fields, header included.</summary>
    public static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    /// <summary>The rows of a CSV result as dictionaries by column name.</summary>
    public static List<Dictionary<string, string>> Records(CliResult r)
    {
        var rows = Csv(Ok(r).Stdout);
        Assert.True(rows.Count >= 1, "no CSV header\n" + r);
        var header = rows[0];
        return rows.Skip(1).Select(row => header.Select((name, i) => (name, value: i < row.Length ? row[i] : "")).ToDictionary(p => p.name, p => p.value, StringComparer.Ordinal)).ToList();
    }

    /// <summary>A two-column CSV result (key, number) as a sorted dictionary.</summary>
    public static SortedDictionary<string, long> Counts(CliResult r)
    {
        var rows = Csv(Ok(r).Stdout);
        Assert.True(rows.Count >= 1 && rows[0].Length == 2, "expected a two-column CSV result\n" + r);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(1))
        {
            counts.Add(row[0], long.Parse(row[1], NumberStyles.Integer, CultureInfo.InvariantCulture));
        }

        return counts;
    }

    /// <summary>The one number a one-row, one-column CSV result holds.</summary>
    public static long Scalar(CliResult r)
    {
        var rows = Csv(Ok(r).Stdout);
        Assert.True(rows.Count == 2 && rows[1].Length == 1, "expected one value\n" + r);
        return long.Parse(rows[1][0], NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
