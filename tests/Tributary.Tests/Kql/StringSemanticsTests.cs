namespace Tributary.Tests.Kql;

/// <summary>Kusto's string semantics where they differ from SQL: no null string, term matching, case rules.</summary>
public sealed class StringSemanticsTests(KqlStoreFixture store) : IClassFixture<KqlStoreFixture>
{
    private bool Bool(string expression) => Assert.IsType<bool>(store.Print(expression));

    // ---- a string's null is "" -------------------------------------------------------------------

    [Fact]
    public void JoinLeftOuter_UnmatchedStringColumn_IsEmptyString()
    {
        var result = store.Run("""
            let L = datatable(k:long, a:string)[1, "x", 2, "y"];
            let R = datatable(k:long, b:string, n:long)[1, "p", 10];
            L | join kind=leftouter R on k
            | extend e = isempty(b), nn = isnull(n)
            | sort by k asc
            """);

        Assert.Equal(["k", "a", "k1", "b", "n", "e", "nn"], result.Names());
        Assert.Equal(["p", ""], result.Column("b"));
        Assert.Equal([10L, null], result.Column("n"));
        Assert.Equal([1L, null], result.Column("k1"));
        Assert.Equal([false, true], result.Column("e"));
        Assert.Equal([false, true], result.Column("nn"));
    }

    [Fact]
    public void Coalesce_EmptyStringFirst_SkipsIt()
    {
        Assert.Equal("x", store.Print("""coalesce("", "x")"""));
        Assert.Equal("y", store.Print("""coalesce("", "", "y")"""));
        Assert.Equal("", store.Print("""coalesce("", "")"""));
        Assert.Equal(2L, store.Print("coalesce(long(null), 2)"));
    }

    [Fact]
    public void Strcat_WithEmptyAndNullValues_TreatsThemAsEmpty()
    {
        Assert.Equal("ab", store.Print("""strcat("a", "", tostring(long(null)), "b")"""));
        var joined = store.Run("""
            let L = datatable(k:long, a:string)[2, "y"];
            let R = datatable(k:long, b:string)[1, "p"];
            L | join kind=leftouter R on k | project s = strcat(a, "-", b, "-", k1)
            """);
        Assert.Equal("y--", joined.Single("s"));
    }

    [Fact]
    public void IsEmptyIsNull_OnEmptyStringAndNullNumber_FollowKusto()
    {
        Assert.True(Bool("""isempty("")"""));
        Assert.False(Bool("""isnull("")"""));
        Assert.True(Bool("isempty(long(null))"));
        Assert.True(Bool("isnull(long(null))"));
        Assert.False(Bool("isempty(0)"));
        Assert.Equal("", store.Print("tostring(long(null))"));
    }

    // ---- has: whole terms, case-insensitive -------------------------------------------------------

    [Fact]
    public void Has_WholeTermDifferentCase_Matches() => Assert.True(Bool("""
        "Hello World" has "world"
        """));

    [Fact]
    public void Has_TermInsideLongerWord_DoesNotMatch() => Assert.False(Bool("""
        "HelloWorld" has "world"
        """));

    [Fact]
    public void Has_TermAfterPunctuation_Matches()
    {
        Assert.True(Bool("""
            "a-b" has "b"
            """));
        Assert.True(Bool("""
            "Kusto: ad67d136-c1db-4f9f;KustoExplorerQueryRun" has "c1db"
            """));
    }

    [Fact]
    public void NotHas_PartialTerm_IsTrue()
    {
        Assert.True(Bool("""
            "North America" !has "amer"
            """));
        Assert.False(Bool("""
            "North America" !has "america"
            """));
    }

    [Fact]
    public void HasCs_DifferentCase_DoesNotMatch()
    {
        Assert.True(Bool("""
            "North America" has_cs "America"
            """));
        Assert.False(Bool("""
            "North America" has_cs "america"
            """));
    }

    [Fact]
    public void HasPrefixHasSuffix_MatchTermStartsAndEnds()
    {
        Assert.True(Bool("""
            "North America" hasprefix "ame"
            """));
        Assert.True(Bool("""
            "North America" hassuffix "ica"
            """));
        Assert.False(Bool("""
            "North America" hasprefix "mer"
            """));
    }

    [Fact]
    public void Has_OnColumnValues_FiltersRows()
    {
        var result = store.Run("""
            datatable(s:string)["Hello World", "HelloWorld", "world-wide", "WORLD", ""]
            | where s has "world"
            """);
        Assert.Equal(["Hello World", "world-wide", "WORLD"], result.Column("s"));
    }

    // ---- substring, prefix, suffix, equality ------------------------------------------------------

    [Theory]
    [InlineData("\"FabriKam\" contains \"BRik\"", true)]
    [InlineData("\"Fabrikam\" !contains \"xyz\"", true)]
    [InlineData("\"FabriKam\" contains_cs \"Kam\"", true)]
    [InlineData("\"FabriKam\" contains_cs \"kam\"", false)]
    [InlineData("\"Fabrikam\" !contains_cs \"Kam\"", true)]
    [InlineData("\"Fabrikam\" startswith \"fab\"", true)]
    [InlineData("\"Fabrikam\" !startswith \"kam\"", true)]
    [InlineData("\"Fabrikam\" startswith_cs \"Fab\"", true)]
    [InlineData("\"Fabrikam\" startswith_cs \"fab\"", false)]
    [InlineData("\"Fabrikam\" !startswith_cs \"fab\"", true)]
    [InlineData("\"Fabrikam\" endswith \"Kam\"", true)]
    [InlineData("\"Fabrikam\" !endswith \"brik\"", true)]
    [InlineData("\"Fabrikam\" endswith_cs \"kam\"", true)]
    [InlineData("\"Fabrikam\" endswith_cs \"Kam\"", false)]
    [InlineData("\"abc\" =~ \"ABC\"", true)]
    [InlineData("\"aBc\" !~ \"xyz\"", true)]
    [InlineData("\"abc\" == \"ABC\"", false)]
    [InlineData("\"abc\" != \"ABC\"", true)]
    [InlineData("\"Fabrikam\" matches regex \"b.*k\"", true)]
    public void StringOperator_DocumentedExample_GivesDocumentedResult(string expression, bool expected) =>
        Assert.Equal(expected, Bool(expression));

    [Fact]
    public void Contains_IsSubstringCaseInsensitive_ContainsCsIsNot()
    {
        Assert.True(Bool("""
            "HelloWorld" contains "LOWOR"
            """));
        Assert.False(Bool("""
            "HelloWorld" contains_cs "LOWOR"
            """));
        Assert.True(Bool("""
            "HelloWorld" contains_cs "loWor"
            """));
    }

    [Fact]
    public void Extract_WithTypeofArgument_ConvertsTheCapture()
    {
        Assert.Equal("45.6", store.Print("""extract("x=([0-9.]+)", 1, "hello x=45.6|wo")"""));
        Assert.Equal(45.6, store.Print("""extract("x=([0-9.]+)", 1, "hello x=45.6|wo", typeof(real))"""));
        Assert.Equal("", store.Print("""extract("y=([0-9]+)", 1, "hello x=45.6|wo")"""));
    }

    // ---- in, !in, in~, between --------------------------------------------------------------------

    [Fact]
    public void In_ExactCaseSensitive_MatchesOnlySameCase()
    {
        Assert.True(Bool("""
            "abc" in ("123", "345", "abc")
            """));
        Assert.False(Bool("""
            "ABC" in ("123", "345", "abc")
            """));
    }

    [Fact]
    public void NotIn_AbsentValue_IsTrue()
    {
        Assert.True(Bool("""
            "bca" !in ("123", "345", "abc")
            """));
        Assert.False(Bool("""
            "abc" !in ("123", "345", "abc")
            """));
    }

    [Fact]
    public void InTilde_DifferentCase_Matches()
    {
        Assert.True(Bool("""
            "Abc" in~ ("123", "345", "abc")
            """));
        Assert.True(Bool("""
            "bCa" !in~ ("123", "345", "ABC")
            """));
        Assert.False(Bool("""
            "ABC" !in~ ("abc")
            """));
    }

    [Fact]
    public void In_Numbers_AndTabularSubquery_Match()
    {
        Assert.True(Bool("2 in (1, 2, 3)"));
        var result = store.Run("""
            range x from 1 to 5 step 1
            | where x in ((datatable(y:long)[2, 4] | project y))
            """);
        Assert.Equal([2L, 4L], result.Column("x"));
    }

    [Fact]
    public void In_TabularLetName_UsesItsFirstColumn()
    {
        var result = store.Run("""
            let wanted = datatable(y:long, z:string)[2, "a", 4, "b"];
            range x from 1 to 5 step 1
            | where x in (wanted)
            """);
        Assert.Equal([2L, 4L], result.Column("x"));
    }

    [Fact]
    public void InTilde_DynamicArray_MatchesAnyElementIgnoringCase()
    {
        var result = store.Run("""
            datatable(State:string)["FLORIDA", "Texas", "Georgia"]
            | where State in~ (dynamic(["florida", "GEORGIA"]))
            """);
        Assert.Equal(["FLORIDA", "Georgia"], result.Column("State"));
    }

    [Fact]
    public void In_DynamicArrayAndScalarsMixed_MatchesAnyOfThem()
    {
        Assert.True(Bool("""
            "a" in (dynamic(["b"]), "a")
            """));
        Assert.True(Bool("""
            "b" in (dynamic(["b"]), "a")
            """));
        Assert.False(Bool("""
            "c" in (dynamic(["b"]), "a")
            """));
        Assert.True(Bool("""
            "c" !in (dynamic(["b"]), "a")
            """));
    }

    [Fact]
    public void Between_BothEndsInclusive()
    {
        var result = store.Run("range x from 1 to 10 step 1 | where x between (3 .. 5)");
        Assert.Equal([3L, 4L, 5L], result.Column("x"));
        var negated = store.Run("range x from 1 to 6 step 1 | where x !between (2 .. 5)");
        Assert.Equal([1L, 6L], negated.Column("x"));
    }

    [Fact]
    public void Between_DatetimeWithTimespanUpperBound_MeansStartPlusSpan()
    {
        Assert.True(Bool("datetime(2024-01-01 00:30) between (datetime(2024-01-01) .. 1h)"));
        Assert.True(Bool("datetime(2024-01-01 01:00) between (datetime(2024-01-01) .. 1h)"));
        Assert.False(Bool("datetime(2024-01-01 01:00:01) between (datetime(2024-01-01) .. 1h)"));
    }
}
