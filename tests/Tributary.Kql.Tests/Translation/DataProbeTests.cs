using KqlTranslation = Tributary.Kql.Translation;

namespace Tributary.Kql.Tests.Translation;

/// <summary>How bag_unpack and pivot learn their columns: from an output schema, else from the translation's data probe.</summary>
public sealed class DataProbeTests
{
    private static readonly DateTime Now = new(2024, 3, 15, 12, 30, 45, DateTimeKind.Utc);

    /// <summary>A probe that answers with fixed rows and remembers what it was asked.</summary>
    private sealed class FixedProbe(params string?[][] rows) : IDataProbe
    {
        public List<string> Asked { get; } = [];

        public IReadOnlyList<string?[]> Query(string sql)
        {
            Asked.Add(sql);
            return rows;
        }
    }

    private static KqlTranslation Translate(string query, IDataProbe? probe = null) =>
        KqlTranslator.Translate(query, TestCatalog.Default, new TranslationOptions(Now) { Probe = probe });

    [Theory]
    [InlineData("Events | evaluate bag_unpack(Props)", "bag_unpack needs the data to know its columns, which cannot be read here; give an output schema: bag_unpack(…) : (Name: type, …)")]
    [InlineData("Events | evaluate pivot(Region)", "pivot needs the data to know its columns, which cannot be read here; give an output schema: pivot(…) : (Name: type, …)")]
    public void WithoutAProbe_AnOperatorThatNeedsTheData_AsksForAnOutputSchema(string query, string message)
    {
        var e = Assert.Throws<KqlException>(() => Translate(query));
        Assert.Equal(message, e.Reason);
        Assert.Equal((1, 19), (e.Line, e.Column));
    }

    [Fact]
    public void BagUnpack_ColumnsAndTypes_ComeFromTheProbe()
    {
        var probe = new FixedProbe(["a", "UBIGINT,BIGINT"], ["b", "VARCHAR,NULL"], ["c", "DOUBLE,VARCHAR"], ["d", "NULL"], ["e", "OBJECT"]);
        var translation = Translate("Events | project Host, Props | evaluate bag_unpack(Props, 'p_')", probe);
        Assert.Equal(
            [new KqlColumn("Host", KqlType.String), new KqlColumn("p_a", KqlType.Long), new KqlColumn("p_b", KqlType.String),
             new KqlColumn("p_c", KqlType.Dynamic), new KqlColumn("p_d", KqlType.Dynamic), new KqlColumn("p_e", KqlType.Dynamic)],
            translation.Columns);
        Assert.StartsWith("SELECT ", Assert.Single(probe.Asked), StringComparison.Ordinal);
    }

    [Fact]
    public void BagUnpack_WithAnOutputSchema_AsksNothing()
    {
        var probe = new FixedProbe();
        var translation = Translate("Events | evaluate bag_unpack(Props) : (x: long)", probe);
        Assert.Equal([new KqlColumn("x", KqlType.Long)], translation.Columns);
        Assert.Empty(probe.Asked);
    }

    [Fact]
    public void Pivot_ValueColumns_ComeFromTheProbe_AfterTheGroupingColumns()
    {
        var probe = new FixedProbe(["east"], ["west"]);
        var translation = Translate("Events | evaluate pivot(Region, avg(Cpu), Host)", probe);
        Assert.Equal([new KqlColumn("Host", KqlType.String), new KqlColumn("east", KqlType.Real), new KqlColumn("west", KqlType.Real)], translation.Columns);
    }

    [Fact]
    public void Probe_InsideACorrelatedSubquery_IsRefused()
    {
        var e = Assert.Throws<KqlException>(() => Translate("Events | partition by Region (evaluate bag_unpack(Props))", new FixedProbe()));
        Assert.StartsWith("bag_unpack inside mv-apply or partition needs an output schema", e.Reason, StringComparison.Ordinal);
    }
}
