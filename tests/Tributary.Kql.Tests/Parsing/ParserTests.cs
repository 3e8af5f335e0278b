using Tributary.Kql.Parsing;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Tests.Parsing;

public sealed class ParserTests
{
    private static QueryText Parse(string text) => Parser.ParseQuery(text);

    private static IReadOnlyList<QueryOperator> Operators(string text) =>
        Assert.IsType<PipelineExpr>(Parse(text).Body).Operators;

    private static KqlException Fails(string text) => Assert.Throws<KqlException>(() => Parse(text));

    // ---- every operator parses ----------------------------------------------------------------------

    [Theory]
    [InlineData("T | where x > 1", typeof(WhereOperator))]
    [InlineData("T | filter x > 1", typeof(WhereOperator))]
    [InlineData("T | project a, b = c + 1", typeof(ProjectOperator))]
    [InlineData("T | project-away a, b*", typeof(ProjectAwayOperator))]
    [InlineData("T | project-keep a*", typeof(ProjectAwayOperator))]
    [InlineData("T | project-rename n = a, m = b", typeof(ProjectRenameOperator))]
    [InlineData("T | project-reorder b, a", typeof(ProjectReorderOperator))]
    [InlineData("T | extend y = x * 2, z = strcat(a, 'b')", typeof(ExtendOperator))]
    [InlineData("T | summarize count(), s = sum(x) by a, bin(t, 1h)", typeof(SummarizeOperator))]
    [InlineData("T | summarize by a", typeof(SummarizeOperator))]
    [InlineData("T | summarize hint.strategy=shuffle count() by a", typeof(SummarizeOperator))]
    [InlineData("T | sort by a desc, b asc nulls first", typeof(SortOperator))]
    [InlineData("T | order by a", typeof(SortOperator))]
    [InlineData("T | top 5 by x desc nulls last", typeof(TopOperator))]
    [InlineData("T | take 10", typeof(TakeOperator))]
    [InlineData("T | limit 10", typeof(TakeOperator))]
    [InlineData("T | distinct a, b", typeof(DistinctOperator))]
    [InlineData("T | distinct *", typeof(DistinctOperator))]
    [InlineData("T | count", typeof(CountOperator))]
    [InlineData("T | join kind=leftouter (U | where y > 0) on a", typeof(JoinOperator))]
    [InlineData("T | join U on $left.a == $right.b", typeof(JoinOperator))]
    [InlineData("T | join hint.strategy=broadcast kind=inner U on a, b", typeof(JoinOperator))]
    [InlineData("T | lookup kind=inner U on a", typeof(LookupOperator))]
    [InlineData("T | mv-expand xs to typeof(long)", typeof(MvExpandOperator))]
    [InlineData("T | mvexpand xs", typeof(MvExpandOperator))]
    [InlineData("T | mv-expand with_itemindex=i kind=array x = d.items, y", typeof(MvExpandOperator))]
    [InlineData("T | mv-expand x limit 3", typeof(MvExpandOperator))]
    [InlineData("T | mv-apply with_itemindex=i a = xs to typeof(long), b = ys limit 5 on (top 2 by a | summarize make_list(a))", typeof(MvApplyOperator))]
    [InlineData("T | mvapply xs on (take 1)", typeof(MvApplyOperator))]
    [InlineData("T | partition hint.strategy=native hint.concurrency=4 by k (top 1 by x)", typeof(PartitionOperator))]
    [InlineData("T | partition by k { U | where k == x }", typeof(PartitionOperator))]
    [InlineData("T | invoke f(1, 'a')", typeof(InvokeOperator))]
    [InlineData("T | evaluate narrow()", typeof(EvaluateOperator))]
    [InlineData("T | fork (count) Named = (take 1 | project a) (where a > 1 | as X)", typeof(ForkOperator))]
    [InlineData("T | facet by a, b with (take 5)", typeof(FacetOperator))]
    [InlineData("T | scan with_match_id=m declare (c: long = 0, d: string) with (step a output=none: x > 1 => c = a.c + 1, d = 'x'; step b: true;)", typeof(ScanOperator))]
    [InlineData("T | top-nested 3 of a with others = 'x' by s = sum(b) asc, top-nested of c by max(d)", typeof(TopNestedOperator))]
    [InlineData("T | evaluate hint.distribution=single bag_unpack(d, 'p_', columnsConflict='keep_source') : (*, a: long)", typeof(EvaluateOperator))]
    [InlineData("T | serialize", typeof(SerializeOperator))]
    [InlineData("T | serialize rn = row_number()", typeof(SerializeOperator))]
    [InlineData("T | as X", typeof(AsOperator))]
    [InlineData("T | union U, (V | take 1)", typeof(UnionOperator))]
    [InlineData("T | union withsource=S kind=inner U", typeof(UnionOperator))]
    [InlineData("T | getschema", typeof(GetSchemaOperator))]
    [InlineData("T | render timechart with (title='CPU')", typeof(RenderOperator))]
    public void Operator_ValidSyntax_ParsesToItsNode(string query, Type expected) =>
        Assert.IsType(expected, Assert.Single(Operators(query)));

    [Theory]
    [InlineData("datatable(a:long, b:string)[1, 'x', 2, 'y']", typeof(DatatableSource))]
    [InlineData("range x from 1 to 10 step 2", typeof(RangeSource))]
    [InlineData("print a = 1, 'b'", typeof(PrintSource))]
    [InlineData("union T, U", typeof(UnionSource))]
    [InlineData("union T*", typeof(UnionSource))]
    [InlineData("MyFunc(1, 'a')", typeof(CallSource))]
    [InlineData("T", typeof(NameSource))]
    [InlineData("['My Table']", typeof(NameSource))]
    public void Source_ValidSyntax_ParsesToItsNode(string query, Type expected) =>
        Assert.IsType(expected, Parse(query).Body);

    [Fact]
    public void Statements_LetScalarTabularFunctionAndView_Parse()
    {
        var q = Parse("""
            let n = 5;
            let t = T | where x > n;
            let f = (a:long, b:string = "d", rows:(*)) { rows | where x > a };
            let v = view () { print y = 1 };
            set notruncation;
            f(n, "b", t) | count
            """);
        Assert.Equal(4, q.Statements.Count);
        var lets = q.Statements.Cast<LetStatement>().ToList();
        Assert.NotNull(lets[0].Scalar);
        Assert.NotNull(lets[1].Tabular);
        var f = Assert.IsType<FunctionLiteral>(lets[2].Function);
        Assert.Equal(["a", "b", "rows"], f.Parameters.Select(p => p.Name));
        Assert.Equal("\"d\"", f.Parameters[1].DefaultValue);
        Assert.Null(f.Parameters[2].Type);
        Assert.NotNull(lets[3].Function);
        Assert.IsType<CallSource>(Assert.IsType<PipelineExpr>(q.Body).Source);
    }

    [Fact]
    public void DeclareQueryParameters_ParsesNamesTypesAndDefaults()
    {
        var q = Parse("declare query_parameters(p:string, n:long = 10); T | where a == p");
        var declare = Assert.IsType<DeclareParametersStatement>(Assert.Single(q.Statements));
        Assert.Equal(["p", "n"], declare.Parameters.Select(p => p.Name));
        Assert.Null(declare.Defaults[0]);
        Assert.NotNull(declare.Defaults[1]);
    }

    // ---- datatable: the bracket after ')' holds the values, whatever the first value is --------------

    [Theory]
    [InlineData("datatable(k:string) ['a', 'b']", 2)]
    [InlineData("datatable(k:string)['a', 'b']", 2)]
    [InlineData("datatable (k: string) [\"a\"]", 1)]
    [InlineData("datatable(k:string)\n    ['a']", 1)]
    [InlineData("datatable(k:string, n:long)\n[\n  'a', 1,\n  'b', 2,\n]", 4)]
    [InlineData("datatable(k:string) [@'c:\\x', h'secret']", 2)]
    [InlineData("datatable(k:string, d:dynamic) [ 'a', dynamic({\"x\": [1]}) ]", 2)]
    [InlineData("datatable(n:long) [0xFF, -1]", 2)]
    [InlineData("datatable(k:string) []", 0)]
    public void Datatable_BracketAfterTheColumns_AlwaysHoldsTheValues(string query, int values) =>
        Assert.Equal(values, Assert.IsType<DatatableSource>(Parse(query).Body).Values.Count);

    [Fact]
    public void Datatable_StringValuesAfterASpace_AreStringLiterals()
    {
        var source = Assert.IsType<DatatableSource>(Parse("let t = datatable(k:string) ['a', 'b']; t").Statements.Cast<LetStatement>().Single().Tabular);
        Assert.Equal(["a", "b"], source.Values.Select(v => Assert.IsType<LiteralExpr>(v).Value));
    }

    [Theory]
    [InlineData("0xFF", 255L)]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("0xFFFFFFFFFFFFFFFF", -1L)]
    public void HexLiteral_IsALong(string text, long value) =>
        Assert.Equal(value, Assert.IsType<LiteralExpr>(Parser.ParseExpression(text)).Value);

    // ---- quoted names: the parser reads ['…'] as a name where a name is due -------------------------

    [Theory]
    [InlineData("print ['a b'] = 1")]
    [InlineData("T | project ['a b']")]
    [InlineData("T | extend ['a b'] = 1")]
    [InlineData("T | summarize count() by ['a b']")]
    [InlineData("T | project-rename ['a b'] = c")]
    [InlineData("T | project-away ['a b']")]
    [InlineData("T | where ['a b'] == 1")]
    [InlineData("T | where d.['a b'] == 1")]
    [InlineData("T | join kind=inner ['a b'] on x")]
    [InlineData("T | as ['a b']")]
    [InlineData("T | parse x with 'k=' ['a b']:long")]
    [InlineData("union ['a b'], T")]
    [InlineData("['a b'] | take 1")]
    [InlineData("range ['a b'] from 1 to 2 step 1")]
    [InlineData("let ['a b'] = 1; print x = ['a b']")]
    [InlineData("datatable(['a b']:long) [1]")]
    public void QuotedName_WhereANameIsDue_IsThatName(string query) =>
        Assert.Contains("a b", Strings(Parse(query)));

    // Every string a syntax tree holds (names, literal values), depth first.
    private static IEnumerable<string> Strings(object? node) => node switch
    {
        null or SourcePosition or KqlType => [],
        string text => [text],
        System.Collections.IEnumerable items => items.Cast<object?>().SelectMany(Strings),
        System.Runtime.CompilerServices.ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Strings(tuple[i])),
        _ when node.GetType().IsValueType => [],
        _ => node.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .SelectMany(p => Strings(p.GetValue(node))),
    };

    [Fact]
    public void QuotedName_IsNeverAKeyword()
    {
        Assert.Equal("true", Assert.IsType<NameExpr>(Parser.ParseExpression("['true']")).Name);
        var summarize = Assert.IsType<SummarizeOperator>(Assert.Single(Operators("T | summarize by ['by']")));
        Assert.Equal("by", Assert.IsType<NameExpr>(Assert.Single(summarize.By).Expr).Name);
    }

    [Fact]
    public void QuotedName_WithNul_IsAnErrorWithPosition()
    {
        var e = Fails("print ['a\\u0000b'] = 1");
        Assert.Contains("NUL", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 7), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("d['k']")]
    [InlineData("d ['k']")]
    [InlineData("f(x)['k']")]
    [InlineData("dynamic({\"a\":1})[\"a\"]")]
    [InlineData("dynamic([1, 2]) [0]")]
    public void BracketAfterAnExpression_IsAnIndex(string text) =>
        Assert.IsType<IndexExpr>(Parser.ParseExpression(text));

    [Fact]
    public void DynamicLiteral_Indexed_IndexesTheLiteral()
    {
        var index = Assert.IsType<IndexExpr>(Parser.ParseExpression("dynamic({\"a\":1})[\"a\"]"));
        Assert.Equal(KqlType.Dynamic, Assert.IsType<LiteralExpr>(index.Target).Type);
        Assert.Equal("a", Assert.IsType<LiteralExpr>(index.Index).Value);
    }

    // ---- function bodies ---------------------------------------------------------------------------

    [Theory]
    [InlineData("let f = (a:long) { let b = a + 1; b * b }; print f(2)")]
    [InlineData("let f = (a:long) { let b = a + 1; (b * b) }; print f(2)")]
    [InlineData("let f = (a:long) { let b = a + 1; -b }; print f(2)")]
    [InlineData("let f = (a:long) { let b = a + 1; tostring(b) }; print f(2)")]
    [InlineData("let f = (a:long) { let b = a + 1; let c = b * 2; c + b }; print f(2)")]
    public void FunctionBody_LetStatementsThenAScalar_ParsesToAScalarBody(string query)
    {
        var let = Assert.IsType<LetStatement>(Parse(query).Statements[0]);
        var body = Assert.IsType<FunctionLiteral>(let.Function).Body;
        Assert.NotEmpty(body.Statements);
        Assert.NotNull(body.ScalarBody);
    }

    [Theory]
    [InlineData("let f = (a:long) { let b = a + 1; b }; print f(2)")]
    [InlineData("let f = (a:long) { let b = a + 1; g(b) }; print f(2)")]
    [InlineData("let f = () { T }; f()")]
    public void FunctionBody_LoneNameOrCall_ReadsAsTableOrScalar(string query)
    {
        var body = Assert.IsType<FunctionLiteral>(Assert.IsType<LetStatement>(Parse(query).Statements[0]).Function).Body;
        Assert.NotNull(body.Body);
        Assert.NotNull(body.ScalarBody);
    }

    [Theory]
    [InlineData("let f = (a:long) { let t = range x from 1 to a step 1; t | count }; f(3)")]
    [InlineData("let f = () { (T) | take 1 }; f()")]
    [InlineData("let f = () { (T | take 1) }; f()")]
    public void FunctionBody_Pipeline_IsTabularOnly(string query)
    {
        var body = Assert.IsType<FunctionLiteral>(Assert.IsType<LetStatement>(Parse(query).Statements[0]).Function).Body;
        Assert.NotNull(body.Body);
        Assert.Null(body.ScalarBody);
    }

    [Fact]
    public void StoredFunctionBody_MayBeScalarWithLets()
    {
        var body = Parser.ParseFunctionBody("let b = a + 1;\nb * b", KqlPosition.Start);
        Assert.Single(body.Statements);
        Assert.IsType<BinaryExpr>(body.ScalarBody);
    }

    // ---- operators Kusto has and Tributary does not run yet ---------------------------------------

    [Theory]
    [InlineData("make-graph")]
    [InlineData("graph-match")]
    [InlineData("graph-shortest-paths")]
    [InlineData("graph-merge")]
    public void NotYetSupportedOperator_IsNamedWholeWithItsPosition(string op)
    {
        var e = Fails($"T\n| where x > 1\n|   {op} x with (a:string)");
        Assert.Contains($"'{op}' is not supported yet", e.Reason, StringComparison.Ordinal);
        Assert.Equal((3, 5), (e.Line, e.Column));
    }

    // ---- where the text begins, and a query over piped input ------------------------------------------

    [Fact]
    public void Origin_ErrorPositionsCountFromIt()
    {
        var e = Assert.Throws<KqlException>(() => Parser.ParseQuery(" T | wher x\n| take 1", new KqlPosition(2, 20), null));
        Assert.Equal((2, 25), (e.Line, e.Column));
        var second = Assert.Throws<KqlException>(() => Parser.ParseQuery(" T\n  | wher x", new KqlPosition(2, 20), null));
        Assert.Equal((3, 5), (second.Line, second.Column));
    }

    [Fact]
    public void PipedInput_QueryStartingWithPipe_ReadsTheInput()
    {
        var q = Parser.ParseQuery("| where x > 1 | take 2", new KqlPosition(1, 14), "Out");
        var pipeline = Assert.IsType<PipelineExpr>(q.Body);
        Assert.Equal("Out", Assert.IsType<NameSource>(pipeline.Source).Name);
        Assert.Equal(2, pipeline.Operators.Count);
        Assert.Throws<KqlException>(() => Parser.ParseQuery("| take 2", KqlPosition.Start, null));
    }

    // ---- expression shapes ----------------------------------------------------------------------------

    private static Expr Expression(string text) => Parser.ParseExpression(text);

    [Fact]
    public void Precedence_MultiplyBeforeAdd_AndBeforeOr()
    {
        var add = Assert.IsType<BinaryExpr>(Expression("1 + 2 * 3"));
        Assert.Equal("+", add.Op);
        Assert.Equal("*", Assert.IsType<BinaryExpr>(add.Right).Op);

        var or = Assert.IsType<BinaryExpr>(Expression("a or b and c"));
        Assert.Equal("or", or.Op);
        Assert.Equal("and", Assert.IsType<BinaryExpr>(or.Right).Op);

        var cmp = Assert.IsType<BinaryExpr>(Expression("a + 1 > b * 2"));
        Assert.Equal(">", cmp.Op);
    }

    [Fact]
    public void NegativeLiteral_IsFoldedIntoTheLiteral()
    {
        Assert.Equal(-5L, Assert.IsType<LiteralExpr>(Expression("-5")).Value);
        Assert.Equal(TimeSpan.FromHours(-1), Assert.IsType<LiteralExpr>(Expression("-1h")).Value);
        Assert.IsType<UnaryExpr>(Expression("-x"));
    }

    [Theory]
    [InlineData("x has 'a'", "has")]
    [InlineData("x !has 'a'", "!has")]
    [InlineData("x contains_cs 'a'", "contains_cs")]
    [InlineData("x !startswith 'a'", "!startswith")]
    [InlineData("x matches regex 'a+'", "matches regex")]
    [InlineData("x =~ 'a'", "=~")]
    [InlineData("x !~ 'a'", "!~")]
    [InlineData("x <> 'a'", "!=")]
    public void StringOperator_ParsesToBinaryWithItsName(string text, string op) =>
        Assert.Equal(op, Assert.IsType<BinaryExpr>(Expression(text)).Op);

    [Theory]
    [InlineData("x in (1, 2)", false, false)]
    [InlineData("x !in (1, 2)", true, false)]
    [InlineData("x in~ ('a')", false, true)]
    [InlineData("x !in~ ('a')", true, true)]
    public void InOperators_ParseNegationAndCase(string text, bool negated, bool caseInsensitive)
    {
        var e = Assert.IsType<InExpr>(Expression(text));
        Assert.Equal((negated, caseInsensitive), (e.Negated, e.CaseInsensitive));
    }

    [Fact]
    public void Between_ParsesBothBounds()
    {
        var e = Assert.IsType<BetweenExpr>(Expression("x !between (1 .. 10)"));
        Assert.True(e.Negated);
        Assert.Equal(1L, Assert.IsType<LiteralExpr>(e.Low).Value);
        Assert.Equal(10L, Assert.IsType<LiteralExpr>(e.High).Value);
    }

    [Fact]
    public void DynamicAccess_MemberAndIndexChain()
    {
        var index = Assert.IsType<IndexExpr>(Expression("d.a[\"b\"][0]"));
        Assert.Equal(0L, Assert.IsType<LiteralExpr>(index.Index).Value);
        var inner = Assert.IsType<IndexExpr>(index.Target);
        Assert.Equal("a", Assert.IsType<MemberExpr>(inner.Target).Name);
    }

    [Fact]
    public void SortKeys_DirectionPerKey_DefaultDescending()
    {
        var sort = Assert.IsType<SortOperator>(Assert.Single(Operators("T | sort by a, b asc, c desc nulls first")));
        Assert.Equal([false, true, false], sort.Keys.Select(k => k.Ascending));
        Assert.Equal([null, null, true], sort.Keys.Select(k => k.NullsFirst));
    }

    [Fact]
    public void JoinKeys_RightLeftOrder_IsNormalized()
    {
        var join = Assert.IsType<JoinOperator>(Assert.Single(Operators("T | join kind=inner U on $right.b == $left.a, c")));
        Assert.Equal("inner", join.Kind);
        Assert.Equal([("a", "b"), ("c", "c")], join.On.Select(k => (k.Left, k.Right)));
    }

    [Fact]
    public void JoinKind_Default_IsInnerUnique() =>
        Assert.Equal("innerunique", Assert.IsType<JoinOperator>(Assert.Single(Operators("T | join U on a"))).Kind);

    [Fact]
    public void JoinKind_AntiAliases_AreNormalized()
    {
        Assert.Equal("leftanti", Assert.IsType<JoinOperator>(Assert.Single(Operators("T | join kind=anti U on a"))).Kind);
        Assert.Equal("rightanti", Assert.IsType<JoinOperator>(Assert.Single(Operators("T | join kind=rightantisemi U on a"))).Kind);
    }

    [Fact]
    public void Comments_AnywhereInTheQuery_AreIgnored()
    {
        var ops = Operators("""
            // leading comment
            T // the table
            | where x > 1 // filter
            // between operators
            | take 5
            """);
        Assert.Equal(2, ops.Count);
    }

    [Theory]
    [InlineData("time(2)", 2 * TimeSpan.TicksPerDay)]
    [InlineData("timespan(1.5)", 36 * TimeSpan.TicksPerHour)]
    [InlineData("time(15 seconds)", 15 * TimeSpan.TicksPerSecond)]
    [InlineData("time(0.12:34:56.7)", 12 * TimeSpan.TicksPerHour + 34 * TimeSpan.TicksPerMinute + 567 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("time(10m)", 10 * TimeSpan.TicksPerMinute)]
    public void TimespanTypedLiteral_DocumentedForms_HaveTheirValues(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), Assert.IsType<LiteralExpr>(Parser.ParseExpression(text)).Value);

    [Fact]
    public void TypedLiteral_Invalid_ErrorWithHint()
    {
        var e = Assert.Throws<KqlException>(() => Parser.ParseExpression("datetime(yesterday)"));
        Assert.Contains("'yesterday' is not a valid datetime literal", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MvApply_Subquery_StartsFromTheContext()
    {
        var apply = Assert.IsType<MvApplyOperator>(Assert.Single(Operators("T | mv-apply x = xs to typeof(real) on (where x > 1 | count)")));
        Assert.Equal(KqlType.Real, Assert.Single(apply.Items).ToType);
        var subquery = Assert.IsType<PipelineExpr>(apply.Subquery);
        Assert.IsType<ContextSource>(subquery.Source);
        Assert.Equal([typeof(WhereOperator), typeof(CountOperator)], subquery.Operators.Select(o => o.GetType()));
    }

    [Fact]
    public void Evaluate_ArgumentsKeepTheirNames_AndTheSchemaItsWildcard()
    {
        var evaluate = Assert.IsType<EvaluateOperator>(Assert.Single(Operators("T | evaluate bag_unpack(d, ignoredProperties = dynamic(['a'])) : (*, x: long, y: string)")));
        Assert.Equal("bag_unpack", evaluate.Plugin);
        Assert.Equal([null, "ignoredProperties"], evaluate.Args.Select(a => a.Name));
        Assert.True(evaluate.Schema!.KeepsInput);
        Assert.Equal([new KqlColumn("x", KqlType.Long), new KqlColumn("y", KqlType.String)], evaluate.Schema.Columns);
        Assert.Contains("expected a column name", Fails("T | evaluate bag_unpack(d) : (*, )").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TopNested_LevelsKeepTheirParts()
    {
        var op = Assert.IsType<TopNestedOperator>(Assert.Single(Operators("T | top-nested 3 of n = a with others = 'x' by s = sum(b) asc, top-nested of c by max(d)")));
        Assert.Equal(2, op.Levels.Count);
        var first = op.Levels[0];
        Assert.Equal(("n", "s", true), (first.Value.Name, first.Aggregate.Name, first.Ascending));
        Assert.NotNull(first.Count);
        Assert.NotNull(first.Others);
        var second = op.Levels[1];
        Assert.Equal((null, null, false), (second.Count, second.Others, second.Ascending));
    }

    [Fact]
    public void Scan_DeclarationsAndSteps_AreRecorded()
    {
        var scan = Assert.IsType<ScanOperator>(Assert.Single(Operators("T | scan with_match_id=m declare (c: long = 0, d: string) with (step a output=last: x > 1 => c = a.c + 1; step b: true;)")));
        Assert.Equal("m", scan.MatchId);
        Assert.Equal([("c", KqlType.Long, true), ("d", KqlType.String, false)], scan.Declarations.Select(d => (d.Name, d.Type, d.Default is not null)));
        Assert.Equal([("a", "last", 1), ("b", "all", 0)], scan.Steps.Select(s => (s.Name, s.Output, s.Assignments.Count)));
    }

    [Fact]
    public void Fork_BranchesKeepTheirNames_FacetItsColumnsAndWith()
    {
        var fork = Assert.IsType<ForkOperator>(Assert.Single(Operators("T | fork (count) Named = (take 1)")));
        Assert.Equal([null, "Named"], fork.Branches.Select(b => b.Name));
        var facet = Assert.IsType<FacetOperator>(Assert.Single(Operators("T | facet by a, b")));
        Assert.Equal(["a", "b"], facet.Columns.Select(c => c.Name));
        Assert.Null(facet.With);
    }

    [Fact]
    public void Partition_StrategyAndForm_AreRecorded()
    {
        var native = Assert.IsType<PartitionOperator>(Assert.Single(Operators("T | partition hint.strategy=native by k (take 1)")));
        Assert.Equal(("native", "k", false), (native.Strategy, native.Column, native.ExplicitSource));
        var legacy = Assert.IsType<PartitionOperator>(Assert.Single(Operators("T | partition by k { U }")));
        Assert.Equal(("legacy", true), (legacy.Strategy, legacy.ExplicitSource));
        Assert.IsType<NameSource>(legacy.Subquery);
    }

    [Fact]
    public void MvExpand_KindArray_IsRecorded_UnknownKindIsAnError()
    {
        Assert.True(Assert.IsType<MvExpandOperator>(Assert.Single(Operators("T | mv-expand kind=array b"))).BagsAsArrays);
        Assert.False(Assert.IsType<MvExpandOperator>(Assert.Single(Operators("T | mv-expand bagexpansion=bag b"))).BagsAsArrays);
        Assert.Contains("unknown mv-expand kind 'list'", Fails("T | mv-expand kind=list b").Reason, StringComparison.Ordinal);
    }

    // ---- syntax errors carry line and column ------------------------------------------------------

    [Fact]
    public void UnknownOperator_ErrorNamesItWithColumn()
    {
        var e = Fails("T | wher x");
        Assert.Contains("'wher'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 5), (e.Line, e.Column));
        Assert.EndsWith("(at 1:5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOperator_OnSecondLine_ErrorHasLineTwo()
    {
        var e = Fails("T\n| wher x");
        Assert.Contains("'wher'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 3), (e.Line, e.Column));
    }

    [Fact]
    public void UnterminatedString_ErrorAtTheQuote()
    {
        var e = Fails("T | where name == 'abc");
        Assert.Contains("unterminated string literal", e.Reason, StringComparison.Ordinal);
        Assert.Equal((1, 19), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("T | where (x > 1", 1, 17)]
    [InlineData("T | summarize count( by x", 1, 25)]
    [InlineData("print strcat('a', 'b'", 1, 22)]
    [InlineData("T | where x in (1, 2", 1, 21)]
    public void MissingCloseParen_ErrorSaysWhatIsExpectedAndWhere(string query, int line, int column)
    {
        var e = Fails(query);
        Assert.Contains("')'", e.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("T | where", "an expression")]
    [InlineData("T | sort x", "'by'")]
    [InlineData("T |", "a query operator")]
    [InlineData("| take 1", "a table name")]
    [InlineData("T | join U", "'on'")]
    [InlineData("T | join kind=sideways U on a", "unknown join kind 'sideways'")]
    [InlineData("T | project a b", "end of query")]
    [InlineData("datatable(a:long, b:long)[1, 2, 3]", "not a whole number of rows")]
    [InlineData("datatable(a:lng)[1]", "unknown type 'lng'")]
    [InlineData("T | summarize", "an expression")]
    [InlineData("T; U", "one tabular expression")]
    public void SyntaxError_MessageSaysWhatWasExpected(string query, string expected)
    {
        var e = Fails(query);
        Assert.Contains(expected, e.Reason, StringComparison.Ordinal);
        Assert.True(e.Line >= 1 && e.Column >= 1, $"no position in '{e.Message}'");
        Assert.Matches(@"\(at \d+:\d+\)$", e.Message);
    }

    [Theory]
    [InlineData("let x = .create table Evil (a:string); print 1")]
    [InlineData("union T, (.create table Evil (a:string))")]
    [InlineData("T | count; .drop table T")]
    [InlineData("T | where x == 1 | .set-or-append U <| T")]
    [InlineData("print x = 1; DROP TABLE T")]
    public void ControlCommandInsideAQuery_IsASyntaxError(string query) => Fails(query);
}
