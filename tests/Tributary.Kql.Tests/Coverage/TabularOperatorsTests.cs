using Tributary.Kql.Binding;
using Tributary.Kql.Tests.Translation;

namespace Tributary.Kql.Tests.Coverage;

/// <summary>Every operator the list claims (each spelling) translates, so the coverage count is honest.</summary>
public sealed class TabularOperatorsTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["where"] = "Events | where Cpu > 1",
        ["filter"] = "Events | filter Cpu > 1",
        ["project"] = "Events | project Host, c = Cpu * 2",
        ["project-away"] = "Events | project-away Props",
        ["project-keep"] = "Events | project-keep Host, C*",
        ["project-rename"] = "Events | project-rename Machine = Host",
        ["project-reorder"] = "Events | project-reorder Cpu",
        ["extend"] = "Events | extend c2 = Cpu * 2",
        ["summarize"] = "Events | summarize count() by Region",
        ["sort"] = "Events | sort by Cpu desc",
        ["order"] = "Events | order by Cpu asc",
        ["top"] = "Events | top 3 by Cpu",
        ["top-nested"] = "Events | top-nested 3 of Region with others = 'rest' by sum(Cpu), top-nested 1 of Host by count()",
        ["take"] = "Events | take 5",
        ["limit"] = "Events | limit 5",
        ["distinct"] = "Events | distinct Region",
        ["count"] = "Events | count",
        ["join"] = "Events | join kind=inner (Hosts) on Region",
        ["lookup"] = "Events | lookup (Hosts) on Region",
        ["mv-expand"] = "Events | mv-expand Props",
        ["mvexpand"] = "Events | mvexpand Props",
        ["mv-apply"] = "Events | mv-apply p = Props to typeof(long) on (summarize s = sum(p))",
        ["mvapply"] = "Events | mvapply Props on (take 1)",
        ["partition"] = "Events | partition hint.strategy=native by Region (top 1 by Cpu)",
        ["fork"] = "Events | fork Busy = (where Cpu > 0.9)",
        ["facet"] = "Events | facet by Region",
        ["invoke"] = "let f = (T:(*), n:long) { T | take n }; Events | invoke f(3)",
        ["evaluate"] = "Events | evaluate bag_unpack(Props) : (*, a: long)",
        ["make-series"] = "Events | make-series avg(Cpu) on Timestamp from datetime(2024-01-01) to datetime(2024-01-02) step 1h by Region",
        ["parse"] = "Events | parse Host with \"h-\" n:long",
        ["parse-where"] = "Events | parse-where kind=regex flags=i Host with \"H-\" n:long",
        ["parse-kv"] = "Events | parse-kv Host as (a: long, b: string) with (pair_delimiter=\",\", kv_delimiter=\"=\")",
        ["scan"] = "Events | sort by Timestamp asc | scan with_match_id = m declare (total: real = 0) with (step s1: Cpu > 1 => total = s1.total + Cpu; step s2 output=last: Cpu <= 1;)",
        ["serialize"] = "Events | serialize n = row_number()",
        ["as"] = "Events | as E | count",
        ["union"] = "Events | union Hosts",
        ["getschema"] = "Events | getschema",
        ["render"] = "Events | summarize count() by bin(Timestamp, 1h) | render timechart",
        ["sample"] = "Events | sample 10",
        ["sample-distinct"] = "Events | sample-distinct 5 of Region",
        ["top-hitters"] = "Events | top-hitters 3 of Region by Requests",
        ["search"] = "search in (Events, Hosts) \"web\" and Cpu > 1",
        ["find"] = "find in (E*) where Region == \"eu\" project Host, pack_all()",
        ["assert-schema"] = "Events | assert-schema (Host: string, Cpu: real)",
        ["project-by-names"] = "Events | project-by-names \"Host\", \"C*\", dynamic([\"Region\"])",
        ["consume"] = "Events | consume",
        ["externaldata"] = "externaldata (x: string) [@\"users.txt\"]",
        ["print"] = "print x = 1",
        ["range"] = "range x from 1 to 3 step 1",
        ["datatable"] = "datatable(a: long)[1, 2]",
    };

    public static TheoryData<string> OperatorNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in TabularOperators.All.SelectMany(o => o.Names))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OperatorNames))]
    public void Operator_Translates(string name)
    {
        Assert.True(Examples.TryGetValue(name, out var query), $"add an example query for '{name}' to {nameof(TabularOperatorsTests)}");
        var translation = KqlTranslator.Translate(query, TestCatalog.Default, new TranslationOptions(Now, null) { ExternalData = TestExternalData.Instance });
        Assert.False(string.IsNullOrWhiteSpace(translation.Sql));
    }

    public static TheoryData<string> UnlistedKustoOperators()
    {
        var kusto = KustoNames.Load();
        var listed = TabularOperators.All.SelectMany(o => o.Names).ToHashSet(StringComparer.Ordinal);
        var data = new TheoryData<string>();
        foreach (var name in kusto.Operators.Concat(kusto.OperatorAliases).Where(n => !listed.Contains(n)))
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>
    /// An operator the parser learns shows up here: list it in <see cref="TabularOperators"/> (docs/kql.md follows).
    /// The lexer reads an unknown hyphenated name (sample-distinct) as its first word, and a first word that is an
    /// operator (parse-kv) as that operator, where any error will do.
    /// </summary>
    [Theory]
    [MemberData(nameof(UnlistedKustoOperators))]
    public void UnlistedKustoOperator_IsRejected(string name)
    {
        var e = Assert.Throws<KqlException>(() => KqlTranslator.Translate($"Events | {name}", TestCatalog.Default, new TranslationOptions(Now, null)));
        var firstWord = name.Split('-')[0];
        var readAsListed = TabularOperators.All.Any(o => o.Names.Contains(firstWord));
        var rejected = (e.Reason.Contains("unsupported", StringComparison.Ordinal) || e.Reason.Contains("not supported", StringComparison.Ordinal))
            && (e.Reason.Contains($"'{name}'", StringComparison.Ordinal) || e.Reason.Contains($"'{firstWord}'", StringComparison.Ordinal));
        Assert.True(readAsListed || rejected,
            $"'{name}' is not in {nameof(TabularOperators)} but the translator does not reject it as unsupported ({e.Reason}); if it is supported now, list it there");
    }

    [Fact]
    public void Examples_AreAllListedOperators() =>
        Assert.Empty(Examples.Keys.Except(TabularOperators.All.SelectMany(o => o.Names)));
}
