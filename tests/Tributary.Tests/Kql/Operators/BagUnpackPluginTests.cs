using Tributary.Kql;

namespace Tributary.Tests.Kql.Operators;

/// <summary>evaluate bag_unpack against the examples of Kusto's documentation, and its errors.</summary>
public sealed class BagUnpackPluginTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private const string People = """
        datatable(d:dynamic)
        [
            dynamic({"Name": "John", "Age":20}),
            dynamic({"Name": "Dave", "Age":40}),
            dynamic({"Name": "Jasmine", "Age":30}),
        ]
        """;

    private static List<string> Rows(Tributary.Query.QueryResult result) =>
        result.Rows.Select(r => string.Join("|", r.Select(QueryResultExtensions.Text))).ToList();

    [Fact]
    public void BagUnpack_ExpandsEachPropertyIntoATypedColumn_InNameOrder()
    {
        var result = store.Run(People + "| evaluate bag_unpack(d) | sort by Age asc");
        Assert.Equal(["Age", "Name"], result.Names());
        Assert.Equal([KqlType.Long, KqlType.String], result.Columns.Select(c => c.Type));
        Assert.Equal(["20|John", "30|Jasmine", "40|Dave"], Rows(result));
    }

    [Fact]
    public void BagUnpack_OutputColumnPrefix_PrefixesEveryColumn()
    {
        var result = store.Run(People + "| evaluate bag_unpack(d, 'Property_') | sort by Property_Age asc");
        Assert.Equal(["Property_Age", "Property_Name"], result.Names());
        Assert.Equal(["20|John", "30|Jasmine", "40|Dave"], Rows(result));
    }

    [Fact]
    public void BagUnpack_ColumnsConflictReplaceSource_ReplacesTheInputColumnInPlace()
    {
        var result = store.Run("""
            datatable(Name:string, d:dynamic)
            [
                'James', dynamic({"Name": "John", "Age":20}),
                'David', dynamic({ "Age":40}),
                'Emily', dynamic({"Name": "Jasmine", "Age":30}),
            ]
            | evaluate bag_unpack(d, columnsConflict='replace_source')
            | sort by Age asc
            """);
        Assert.Equal(["Name", "Age"], result.Names());
        Assert.Equal(["John|20", "Jasmine|30", "|40"], Rows(result));
    }

    [Fact]
    public void BagUnpack_ColumnsConflictKeepSource_KeepsTheInputColumn()
    {
        var result = store.Run("""
            datatable(Name:string, d:dynamic)
            [
                'James', dynamic({"Name": "John", "Age":20}),
                'David', dynamic({"Name": "Dave", "Age":40}),
                'Emily', dynamic({"Name": "Jasmine", "Age":30}),
            ]
            | evaluate bag_unpack(d, columnsConflict='keep_source')
            | sort by Age asc
            """);
        Assert.Equal(["Name", "Age"], result.Names());
        Assert.Equal(["James|20", "Emily|30", "David|40"], Rows(result));
    }

    [Fact]
    public void BagUnpack_ColumnsConflictByDefault_IsAnError()
    {
        var e = Assert.Throws<KqlException>(() => store.Run("print Name = 'x', d = dynamic({'Name': 'y'}) | evaluate bag_unpack(d)"));
        Assert.Contains("the property 'Name' would make a column 'Name', which the input already has", e.Message, StringComparison.Ordinal);
        Assert.Equal((1, 57), (e.Line, e.Column));
    }

    [Fact]
    public void BagUnpack_IgnoredProperties_AreLeftOut()
    {
        var result = store.Run("""
            datatable(d:dynamic)
            [
                dynamic({"Name": "John", "Age":20, "Address": "Address-1" }),
                dynamic({"Name": "Dave", "Age":40, "Address": "Address-2"}),
            ]
            | evaluate bag_unpack(d, ignoredProperties=dynamic(['Address', 'Age']))
            """);
        Assert.Equal(["Name"], result.Names());
        Assert.Equal(["John", "Dave"], Rows(result).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void BagUnpack_PropertyMissingFromSomeBags_IsNullThere()
    {
        var result = store.Run("""
            datatable(d:dynamic)
            [
                dynamic({"Name": "John", "Age":20}),
                dynamic({ "Name": "Dave", "Height": 170, "Age":40}),
                dynamic({"Name": "Jasmine", "Age":30}),
            ]
            | evaluate bag_unpack(d)
            | sort by Age asc
            """);
        Assert.Equal(["Age", "Height", "Name"], result.Names());
        Assert.Equal(["20|<null>|John", "30|<null>|Jasmine", "40|170|Dave"], Rows(result));
    }

    [Fact]
    public void BagUnpack_OutputSchemaWithWildcard_KeepsTheOtherInputColumns()
    {
        var result = store.Run("""
            datatable(d:dynamic, Description: string)
            [
                dynamic({"Name": "John", "Age":20, "height":180}), "Student",
                dynamic({"Name": "Dave", "Age":40, "height":160}), "Teacher",
                dynamic({"Name": "Jasmine", "Age":30, "height":172}), "Student",
            ]
            | evaluate bag_unpack(d) : (*, Name:string, Age:long)
            | sort by Age asc
            """);
        Assert.Equal(["Description", "Name", "Age"], result.Names());
        Assert.Equal(["Student|John|20", "Student|Jasmine|30", "Teacher|Dave|40"], Rows(result));
    }

    [Fact]
    public void BagUnpack_OutputSchemaWithoutWildcard_GivesOnlyItsColumns_WithItsTypes()
    {
        var result = store.Run(People + "| extend k = 1 | evaluate bag_unpack(d) : (Age:real, Missing:string) | sort by Age asc");
        Assert.Equal(["Age", "Missing"], result.Names());
        Assert.Equal([20.0, 30.0, 40.0], result.Column("Age"));
        Assert.Equal(["", "", ""], result.Column("Missing"));
    }

    [Fact]
    public void BagUnpack_ValuesOfDifferentTypes_GiveADynamicColumn_AndNonBagsGiveNulls()
    {
        var result = store.Run("""
            datatable(k:long, d:dynamic)[1, dynamic({"v": 1, "s": [1, 2]}), 2, dynamic({"v": "one", "x": null}), 3, dynamic([1]), 4, dynamic(null)]
            | evaluate bag_unpack(d)
            | sort by k asc
            """);
        Assert.Equal(["k", "s", "v", "x"], result.Names());
        Assert.Equal([KqlType.Long, KqlType.Dynamic, KqlType.Dynamic, KqlType.Dynamic], result.Columns.Select(c => c.Type));
        Assert.Equal(["1", "\"one\"", null, null], result.Column("v").Select(v => v is null ? null : QueryResultExtensions.Json(v)));
    }

    [Fact]
    public void BagUnpack_KeepsTheRowsOrder_AndATableColumnWorks()
    {
        store.Run(".create-merge table Bags (id:long, props:dynamic)");
        store.Run(""".set-or-replace Bags <| datatable(id:long, props:dynamic)[2, dynamic({"a": 1.5}), 1, dynamic({"a": 2.5, "b": true})]""");
        var result = store.Run("Bags | sort by id asc | evaluate bag_unpack(props, 'p_')");
        Assert.Equal(["id", "p_a", "p_b"], result.Names());
        Assert.Equal([1L, 2L], result.Column("id"));
        Assert.Equal([2.5, 1.5], result.Column("p_a"));
        Assert.Equal([true, null], result.Column("p_b"));
    }

    [Fact]
    public void BagUnpack_InAStoredFunction_LearnsItsColumnsAtEachCall()
    {
        store.Run(".create-merge table Props (k:long, p:dynamic)");
        store.Run(".create-or-alter function Unpacked(min:long) { Props | where k >= min | evaluate bag_unpack(p) }");
        store.Run(""".set-or-replace Props <| datatable(k:long, p:dynamic)[1, dynamic({"a": 1}), 2, dynamic({"b": "x"})]""");
        Assert.Equal(["k", "a", "b"], store.Run("Unpacked(1)").Names());
        Assert.Equal(["k", "b"], store.Run("Unpacked(2)").Names());
    }

    [Theory]
    [InlineData("print d = 1 | evaluate bag_unpack(d)", "bag_unpack needs a dynamic column, but 'd' is long", 1, 35)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack(e)", "unknown column 'e'", 1, 45)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack(d, columnsConflict='skip')", "unknown columnsConflict 'skip'", 1, 64)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack(d, ignoredProperties='a')", "needs ignoredProperties to be a constant array of strings", 1, 66)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack(d, prefix='a')", "plugin 'bag_unpack' has no argument named 'prefix'", 1, 48)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack()", "plugin 'bag_unpack' takes 1 to 4 argument(s) but was given 0", 1, 34)]
    [InlineData("print d = dynamic({}) | evaluate bag_unpack(d) : (a:long, a:string)", "the output schema names 'a' twice", 1, 59)]
    [InlineData("print d = dynamic([1]) | mv-apply d on (evaluate bag_unpack(d))", "bag_unpack inside mv-apply or partition needs an output schema", 1, 50)]
    public void BagUnpack_BadInput_IsAnErrorWithPosition(string query, string message, int line, int column)
    {
        var e = Assert.Throws<KqlException>(() => store.Run(query));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }
}
