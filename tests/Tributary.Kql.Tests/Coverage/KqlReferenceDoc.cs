using System.Globalization;
using System.Text;
using Tributary.Kql.Binding;
using Tributary.Kql.Binding.Functions;
using Tributary.Kql.Binding.Plugins;

namespace Tributary.Kql.Tests.Coverage;

/// <summary>
/// Writes docs/kql.md's generated part — coverage, operators, aggregates, scalar functions and the deliberate
/// differences from Kusto — from the function registry and the operator list, between two marker lines.
/// </summary>
internal static class KqlReferenceDoc
{
    public const string DocPath = "docs/kql.md";

    public const string RegenerateCommand = "TRIBUTARY_UPDATE_DOCS=1 dotnet test tests/Tributary.Kql.Tests --filter FullyQualifiedName~KqlReferenceDocTests";

    public const string Begin = "<!-- BEGIN GENERATED kql-reference: written from the function registry; to update run " + RegenerateCommand + " -->";

    public const string End = "<!-- END GENERATED kql-reference -->";

    private const string DeprecatedMark = "†";

    /// <summary>The generated part, markers included.</summary>
    public static string Render(KustoNames kusto)
    {
        var doc = new StringBuilder();
        doc.Append(Begin).Append('\n');
        WriteCoverage(doc, kusto);
        WriteOperators(doc);
        WritePlugins(doc);
        doc.Append("\n## Aggregates\n\nAn unnamed aggregate's column gets Kusto's name: `count_`, `dcount_HostId`, `percentile_Duration_95`, `list_x`, `set_x`, `sum_x` …\n");
        foreach (var family in FunctionRegistry.AggregateFamilies)
        {
            WriteFamily(doc, family.Title, "aggregate", family.Functions, kusto.DeprecatedAggregates);
        }

        doc.Append("\n## Scalar functions\n");
        foreach (var family in FunctionRegistry.ScalarFamilies)
        {
            WriteFamily(doc, family.Title, "function", family.Functions.Where(f => f.Origin != FunctionOrigin.Operator).ToList(), kusto.DeprecatedScalars);
        }

        doc.Append($"\n{DeprecatedMark} a deprecated Kusto name, accepted as Kusto still accepts it.\n");
        WriteDifferences(doc);
        doc.Append(End).Append('\n');
        return doc.ToString();
    }

    /// <summary><paramref name="document"/> with the text between (and including) the markers replaced by <paramref name="generated"/>.</summary>
    public static string Splice(string document, string generated)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{DocPath} needs the marker lines {Begin} and {End}");
        }

        var afterEnd = document.IndexOf('\n', end);
        return document[..begin] + generated + (afterEnd < 0 ? "" : document[(afterEnd + 1)..]);
    }

    private static void WriteCoverage(StringBuilder doc, KustoNames kusto)
    {
        var counts = new[]
        {
            (Count: KqlCoverage.Scalars(kusto), KustoLoco: KqlCoverage.KustoLocoScalars),
            (Count: KqlCoverage.Aggregates(kusto), KustoLoco: KqlCoverage.KustoLocoAggregates),
            (Count: KqlCoverage.Operators(kusto), KustoLoco: KqlCoverage.KustoLocoOperators),
        };
        doc.Append("## Coverage\n\n");
        doc.Append("Counted against the names in Microsoft's Kusto.Language: `").Append(KustoNames.FilePath)
            .Append("` lists them, says where they come from and what is left out (geo_*, punycode_*, graph, cluster-only and deprecated names). ")
            .Append("Kusto-Loco, another C# KQL engine, for comparison.\n\n");
        doc.Append("| | Tributary | Kusto | coverage | Kusto-Loco |\n| --- | ---: | ---: | ---: | ---: |\n");
        foreach (var (count, kustoLoco) in counts)
        {
            doc.Append(CultureInfo.InvariantCulture, $"| {count.Category} | {count.Supported} | {count.Total} | {count.Percent:0}% | {kustoLoco} |\n");
        }

        foreach (var (count, _) in counts)
        {
            doc.Append(CultureInfo.InvariantCulture, $"\n<details><summary>Kusto {count.Category} not supported yet ({count.Missing.Count})</summary>\n\n");
            doc.Append(string.Join(", ", count.Missing.Select(n => $"`{n}`"))).Append("\n\n</details>\n");
        }
    }

    private static void WriteOperators(StringBuilder doc)
    {
        doc.Append("\n## Tabular operators\n\n| operator | syntax | what it does |\n| --- | --- | --- |\n");
        foreach (var op in TabularOperators.All.OrderBy(o => o.IsSource))
        {
            var names = string.Join(", ", op.Names.Select(n => $"`{n}`"));
            var what = op.IsSource ? "Starts a query. " + op.Summary : op.Summary;
            doc.Append(CultureInfo.InvariantCulture, $"| {names} | `{Cell(op.Syntax)}` | {Cell(what)}{DifferenceNote(op.Difference)} |\n");
        }
    }

    private static void WritePlugins(StringBuilder doc)
    {
        doc.Append("\n### evaluate plugins\n\n| plugin | syntax | what it does |\n| --- | --- | --- |\n");
        foreach (var plugin in PluginRegistry.All)
        {
            doc.Append(CultureInfo.InvariantCulture, $"| `{plugin.Name}` | `{Cell(plugin.Syntax)}` | {Cell(plugin.Summary)}{DifferenceNote(plugin.Difference)} |\n");
        }
    }

    private static void WriteFamily(StringBuilder doc, string title, string kind, IReadOnlyList<BuiltInFunction> functions, IReadOnlySet<string> deprecated)
    {
        doc.Append(CultureInfo.InvariantCulture, $"\n### {title}\n\n| {kind} | arguments: result | what it does |\n| --- | --- | --- |\n");
        foreach (var f in functions)
        {
            var names = string.Join(", ", f.Names.Select(n => $"`{n}`{(deprecated.Contains(n) ? DeprecatedMark : "")}"));
            var extension = f.Origin == FunctionOrigin.Extension ? " *Tributary extension.*" : "";
            doc.Append(CultureInfo.InvariantCulture, $"| {names} | `{Cell(f.Signature)}` | {Cell(f.Summary)}{extension}{DifferenceNote(f.Difference)} |\n");
        }
    }

    private static void WriteDifferences(StringBuilder doc)
    {
        doc.Append("\n## Differences from Kusto, by function and operator\n\n");
        var functions = FunctionRegistry.Aggregates.Concat<BuiltInFunction>(FunctionRegistry.Scalars)
            .Where(f => f.Origin != FunctionOrigin.Operator)
            .Select(f => (f.Name, Text: f.Origin == FunctionOrigin.Extension ? "a Tributary extension; Kusto has no such function" : f.Difference));
        var operators = TabularOperators.All.Select(o => (o.Name, Text: o.Difference));
        foreach (var (name, text) in functions.Concat(operators).Where(d => d.Text is not null).OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            doc.Append(CultureInfo.InvariantCulture, $"- `{name}`: {text}.\n");
        }

        doc.Append('\n');
    }

    private static string DifferenceNote(string? difference) => difference is null ? "" : $" *Differs from Kusto: {Cell(difference)}.*";

    // A | inside a table cell (code spans included) must be escaped.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
