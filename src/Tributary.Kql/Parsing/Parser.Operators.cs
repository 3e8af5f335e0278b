using Tributary.Kql.Syntax;

namespace Tributary.Kql.Parsing;

// Tabular expressions: sources (tables, calls, datatable, range, print, union) and the operators after '|'.
internal sealed partial class Parser
{
    // Kusto's operators that Tributary does not run: named whole in the error, never read as a shorter word.
    private static readonly HashSet<string> NotSupportedOperators = new(StringComparer.Ordinal)
    {
        "make-graph", "graph-match", "graph-merge", "graph-to-table", "graph-shortest-paths", "graph-mark-components",
        "reduce", "macro-expand",
    };

    private TabularExpr ParseTabular()
    {
        Enter();
        try
        {
            return ParseTabularCore();
        }
        finally
        {
            _depth--;
        }
    }

    private TabularExpr ParseTabularCore()
    {
        if (_tokens.At(TokenKind.Pipe))
        {
            throw _tokens.Unexpected("a table name or tabular expression before '|'");
        }

        var pos = _tokens.Pos;
        return ParsePipeline(_tokens.AtWord("union") ? new UnionSource(pos, ParseUnion(_tokens.Advance())) : ParseSource());
    }

    /// <summary>The operators after <paramref name="source"/>, each after a '|'.</summary>
    private TabularExpr ParsePipeline(TabularExpr source)
    {
        var operators = new List<QueryOperator>();
        while (_tokens.Accept(TokenKind.Pipe))
        {
            // Each operator nests the translation one level deeper, like a pair of parentheses.
            if (operators.Count == MaxOperators)
            {
                throw _tokens.Pos.Error($"the query nests too deeply (more than {MaxOperators} operators in one pipeline)");
            }

            operators.Add(ParseOperator());
        }

        return operators.Count == 0 ? source : new PipelineExpr(source.Pos, source, operators);
    }

    private TabularExpr ParseSource()
    {
        var pos = _tokens.Pos;
        if (_tokens.Accept(TokenKind.LParen))
        {
            var inner = ParseTabular();
            _tokens.Expect(TokenKind.RParen, "')'");
            return inner;
        }

        if (_tokens.AtWord("datatable") && _tokens.Peek(1).Kind == TokenKind.LParen)
        {
            _tokens.Advance();
            return ParseDatatable(pos);
        }

        if (_tokens.AtWord("range") && _tokens.NameLength(1) > 0)
        {
            _tokens.Advance();
            var column = _tokens.ExpectName("a column name after 'range'");
            _tokens.ExpectWord("from");
            var from = ParseExpr();
            _tokens.ExpectWord("to");
            var to = ParseExpr();
            _tokens.ExpectWord("step");
            var step = ParseExpr();
            return new RangeSource(pos, column, from, to, step);
        }

        if (_tokens.AtWord("print"))
        {
            _tokens.Advance();
            var columns = ParseAssignments();
            return new PrintSource(pos, columns);
        }

        if (_tokens.AtWord("externaldata") && _tokens.Peek(1).Kind == TokenKind.LParen)
        {
            _tokens.Advance();
            return ParseExternalData(pos);
        }

        if (AtSourceKeyword("search"))
        {
            _tokens.Advance();
            return new SearchSource(pos, ParseSearch(pos));
        }

        if (AtSourceKeyword("find"))
        {
            _tokens.Advance();
            return ParseFind(pos);
        }

        var name = _tokens.ExpectName("a table name or tabular expression");
        if (_tokens.At(TokenKind.LParen))
        {
            return new CallSource(pos, name, ParseArguments());
        }

        return new NameSource(pos, name);
    }

    private DatatableSource ParseDatatable(SourcePosition pos)
    {
        _tokens.Expect(TokenKind.LParen, "'('");
        var columns = new List<KqlColumn>();
        do
        {
            var name = _tokens.ExpectName("a column name");
            _tokens.Expect(TokenKind.Colon, "':'");
            columns.Add(new KqlColumn(name, ParseTypeName()));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')'");
        _tokens.Expect(TokenKind.LBracket, "'[' with the datatable values");
        var values = new List<Expr>();
        if (!_tokens.At(TokenKind.RBracket))
        {
            do
            {
                if (_tokens.At(TokenKind.RBracket))
                {
                    break;
                }

                values.Add(ParseExpr());
            }
            while (_tokens.Accept(TokenKind.Comma));
        }

        _tokens.Expect(TokenKind.RBracket, "']'");
        if (values.Count % columns.Count != 0)
        {
            throw pos.Error($"datatable has {columns.Count} columns but {values.Count} values, which is not a whole number of rows");
        }

        return new DatatableSource(pos, columns, values);
    }

    private QueryOperator ParseOperator()
    {
        var pos = _tokens.Pos;
        if (!_tokens.At(TokenKind.Identifier))
        {
            throw _tokens.Unexpected("a query operator (where, project, extend, summarize, …) after '|'");
        }

        var wordToken = _tokens.Advance();
        var word = wordToken.Text;
        switch (word)
        {
            case "where":
            case "filter":
                return new WhereOperator(pos, ParseExpr());
            case "project":
                return new ProjectOperator(pos, ParseAssignments(allowTuples: true));
            case "project-away":
                return new ProjectAwayOperator(pos, ParseNamePatterns(), Keep: false);
            case "project-keep":
                return new ProjectAwayOperator(pos, ParseNamePatterns(), Keep: true);
            case "project-reorder":
                return new ProjectReorderOperator(pos, ParseNamePatterns());
            case "project-rename":
                {
                    var renames = new List<(string, string, SourcePosition)>();
                    do
                    {
                        var p = _tokens.Pos;
                        var newName = _tokens.ExpectName("a new column name");
                        _tokens.Expect(TokenKind.Equal, "'=' in project-rename NewName = OldName");
                        var oldName = _tokens.ExpectName("the column to rename");
                        renames.Add((newName, oldName, p));
                    }
                    while (_tokens.Accept(TokenKind.Comma));

                    return new ProjectRenameOperator(pos, renames);
                }

            case "extend":
                return new ExtendOperator(pos, ParseAssignments(allowTuples: true));
            case "summarize":
                {
                    SkipHints();
                    var aggregates = _tokens.AtWord("by") ? [] : ParseAssignments();
                    var by = _tokens.AcceptWord("by") ? ParseAssignments() : [];
                    if (aggregates.Count == 0 && by.Count == 0)
                    {
                        throw _tokens.Unexpected("an aggregation or 'by' after summarize");
                    }

                    return new SummarizeOperator(pos, aggregates, by);
                }

            case "sort":
            case "order":
                _tokens.ExpectWord("by");
                return new SortOperator(pos, ParseSortKeys());
            case "top":
                {
                    var count = ParseExpr();
                    _tokens.ExpectWord("by");
                    var keys = ParseSortKeys();
                    if (keys.Count != 1)
                    {
                        throw pos.Error("top takes one sort expression: top N by Expr [asc|desc]");
                    }

                    return new TopOperator(pos, count, keys[0]);
                }

            case "take":
            case "limit":
                return new TakeOperator(pos, ParseExpr());
            case "distinct":
                if (_tokens.Accept(TokenKind.Star))
                {
                    return new DistinctOperator(pos, []);
                }

                return new DistinctOperator(pos, ParseAssignments());
            case "count":
                return new CountOperator(pos);
            case "join":
                return ParseJoin(pos);
            case "lookup":
                return ParseLookup(pos);
            case "mv-expand":
            case "mvexpand":
                return ParseMvExpand(pos);
            case "serialize":
                return new SerializeOperator(pos, _tokens.At(TokenKind.Pipe) || _tokens.At(TokenKind.End) || _tokens.At(TokenKind.RParen) || _tokens.At(TokenKind.Semicolon) || _tokens.At(TokenKind.RBrace) ? [] : ParseAssignments());
            case "as":
                SkipHints();
                return new AsOperator(pos, _tokens.ExpectName("a name after 'as'"));
            case "render":
                return ParseRender(pos);
            case "union":
                return ParseUnion(wordToken);
            case "getschema":
                return new GetSchemaOperator(pos);
            case "parse":
                return ParseParse(pos, dropsUnmatched: false);
            case "parse-where":
                return ParseParse(pos, dropsUnmatched: true);
            case "parse-kv":
                return ParseParseKv(pos);
            case "make-series":
                return ParseMakeSeries(pos);
            case "sample":
                return ParseSample(pos);
            case "sample-distinct":
                return ParseSampleDistinct(pos);
            case "top-hitters":
                return ParseTopHitters(pos);
            case "search":
                return ParseSearch(pos);
            case "assert-schema":
                return new AssertSchemaOperator(pos, ParseRowSchema("assert-schema"));
            case "project-by-names":
                return ParseProjectByNames(pos);
            case "consume":
                return ParseConsume(pos);
            case "find":
                throw pos.Error("find starts a query (find in (T, …) where …): it takes no piped input; use search after '|'");
            case "externaldata":
                throw pos.Error("externaldata starts a query (externaldata (…) [\"path\"]): it takes no piped input");
            case "mv-apply":
            case "mvapply":
                return ParseMvApply(pos);
            case "partition":
                return ParsePartition(pos);
            case "invoke":
                return ParseInvoke(pos);
            case "evaluate":
                return ParseEvaluate(pos);
            case "top-nested":
                return ParseTopNested(pos);
            case "scan":
                return ParseScan(pos);
            case "fork":
                return ParseFork(pos);
            case "facet":
                return ParseFacet(pos);
            default:
                var known = NotSupportedOperators.Contains(word) ? $"the query operator '{word}' is not supported yet" : $"unknown query operator '{word}'";
                throw pos.Error($"{known} (supported: {string.Join(", ", Binding.TabularOperators.All.Where(o => !o.IsSource).Select(o => o.Name))})");
        }
    }

    private void SkipHints()
    {
        while (_tokens.At(TokenKind.Identifier) && _tokens.Current.Text.StartsWith("hint", StringComparison.Ordinal) && _tokens.Peek(1).Kind == TokenKind.Dot)
        {
            _tokens.Advance();
            _tokens.Advance();
            _tokens.ExpectName("a hint name");
            _tokens.Expect(TokenKind.Equal, "'=' after the hint name");
            ParseUnary();
        }
    }

    private List<(string, SourcePosition)> ParseNamePatterns()
    {
        var names = new List<(string, SourcePosition)>();
        do
        {
            var pos = _tokens.Pos;
            var text = "";
            // A pattern is name parts and '*' without spaces between them: Col*, *Time, *.
            while (true)
            {
                if (_tokens.At(TokenKind.Star))
                {
                    text += "*";
                    _tokens.Advance();
                }
                else if (_tokens.AtName && (text.Length == 0 || text.EndsWith('*')))
                {
                    text += _tokens.ExpectName("a column name");
                }
                else
                {
                    break;
                }

                if (_tokens.At(TokenKind.Comma) || _tokens.At(TokenKind.Pipe) || _tokens.At(TokenKind.End))
                {
                    break;
                }
            }

            if (text.Length == 0)
            {
                throw _tokens.Unexpected("a column name");
            }

            names.Add((text, pos));
        }
        while (_tokens.Accept(TokenKind.Comma));

        return names;
    }

    /// <param name="allowTuples">True in extend and project, where <c>(a, b) = f(…)</c> names the columns of a function that returns several.</param>
    private List<Assignment> ParseAssignments(bool allowTuples = false)
    {
        var list = new List<Assignment>();
        do
        {
            var pos = _tokens.Pos;
            if (AtNameAndEqual())
            {
                var name = _tokens.ExpectName("a column name");
                _tokens.Advance();
                list.Add(new Assignment(name, ParseExpr(), pos));
            }
            else if (_tokens.At(TokenKind.LParen) && IsTupleAssignment())
            {
                if (!allowTuples)
                {
                    throw pos.Error("assigning to several names at once ((a, b) = …) is only allowed in extend and project; name each column");
                }

                list.Add(ParseTupleAssignment(pos));
            }
            else
            {
                list.Add(new Assignment(null, ParseExpr(), pos));
            }
        }
        while (_tokens.Accept(TokenKind.Comma));

        return list;
    }

    private bool IsTupleAssignment() => AfterClosingParen(0) == TokenKind.Equal;

    // (a, b, c) = expr
    private Assignment ParseTupleAssignment(SourcePosition pos)
    {
        _tokens.Expect(TokenKind.LParen, "'('");
        var names = new List<string>();
        do
        {
            names.Add(_tokens.ExpectName("a column name"));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.Expect(TokenKind.RParen, "')' after the column names");
        _tokens.Expect(TokenKind.Equal, "'=' after the column names");
        return new Assignment(null, ParseExpr(), pos) { TupleNames = names };
    }

    // Name = …: a name (a word or ['quoted']) and then '='.
    private bool AtNameAndEqual() => _tokens.NameLength() is > 0 and var length && _tokens.Peek(length).Kind == TokenKind.Equal;

    private List<OrderingTerm> ParseSortKeys()
    {
        var keys = new List<OrderingTerm>();
        do
        {
            var expr = ParseExpr();
            var ascending = false;
            if (_tokens.AcceptWord("asc"))
            {
                ascending = true;
            }
            else
            {
                _tokens.AcceptWord("desc");
            }

            bool? nullsFirst = null;
            if (_tokens.AcceptWord("nulls"))
            {
                if (_tokens.AcceptWord("first"))
                {
                    nullsFirst = true;
                }
                else
                {
                    _tokens.ExpectWord("last");
                    nullsFirst = false;
                }
            }

            keys.Add(new OrderingTerm(expr, ascending, nullsFirst));
        }
        while (_tokens.Accept(TokenKind.Comma));

        return keys;
    }

    private string ParseKind(string defaultKind, IReadOnlySet<string> allowed, string op)
    {
        var kind = defaultKind;
        while (_tokens.At(TokenKind.Identifier) && (_tokens.Current.Text == "kind" || _tokens.Current.Text.StartsWith("hint", StringComparison.Ordinal) || _tokens.Current.Text == "withsource" || _tokens.Current.Text == "isfuzzy"))
        {
            if (_tokens.Current.Text == "kind")
            {
                _tokens.Advance();
                _tokens.Expect(TokenKind.Equal, "'=' after kind");
                var pos = _tokens.Pos;
                kind = _tokens.ExpectName("a join kind");
                if (!allowed.Contains(kind))
                {
                    throw pos.Error($"unknown {op} kind '{kind}' (expected one of {string.Join(", ", allowed)})");
                }
            }
            else if (_tokens.Peek(1).Kind == TokenKind.Dot)
            {
                SkipHints();
            }
            else
            {
                break;
            }
        }

        return kind;
    }

    private static readonly HashSet<string> JoinKinds = new(StringComparer.Ordinal)
    {
        "innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftanti", "anti", "leftantisemi",
        "rightanti", "rightantisemi", "leftsemi", "rightsemi",
    };

    private JoinOperator ParseJoin(SourcePosition pos)
    {
        var kind = ParseKind("innerunique", JoinKinds, "join");
        kind = kind switch { "anti" or "leftantisemi" => "leftanti", "rightantisemi" => "rightanti", _ => kind };
        var right = ParseJoinRight();
        var on = ParseJoinKeys();
        return new JoinOperator(pos, kind, right, on);
    }

    private static readonly HashSet<string> LookupKinds = new(StringComparer.Ordinal) { "leftouter", "inner" };

    private LookupOperator ParseLookup(SourcePosition pos)
    {
        var kind = ParseKind("leftouter", LookupKinds, "lookup");
        var right = ParseJoinRight();
        var on = ParseJoinKeys();
        return new LookupOperator(pos, kind, right, on);
    }

    private TabularExpr ParseJoinRight()
    {
        if (_tokens.Accept(TokenKind.LParen))
        {
            var inner = ParseTabular();
            _tokens.Expect(TokenKind.RParen, "')' to close the right side of the join");
            return inner;
        }

        return ParseSource();
    }

    private List<JoinKey> ParseJoinKeys()
    {
        _tokens.ExpectWord("on");
        var keys = new List<JoinKey>();
        do
        {
            var pos = _tokens.Pos;
            var left = ParseExpr();
            if (left is BinaryExpr { Op: "==" } eq)
            {
                var l = SideColumn(eq.Left, out var lSide);
                var r = SideColumn(eq.Right, out var rSide);
                if (lSide == "$right" && rSide == "$left")
                {
                    (l, r) = (r, l);
                }
                else if (lSide != "$left" || rSide != "$right")
                {
                    throw pos.Error("a join condition compares $left.column == $right.column");
                }

                keys.Add(new JoinKey(l, r, pos));
            }
            else if (left is NameExpr name)
            {
                keys.Add(new JoinKey(name.Name, name.Name, pos));
            }
            else
            {
                throw pos.Error("join keys are column names (on a, b) or $left.x == $right.y");
            }
        }
        while (_tokens.Accept(TokenKind.Comma));

        return keys;

        static string SideColumn(Expr e, out string side)
        {
            if (e is MemberExpr { Target: NameExpr { Name: "$left" or "$right" } target } member)
            {
                side = target.Name;
                return member.Name;
            }

            throw e.Pos.Error("a join condition compares $left.column == $right.column");
        }
    }

    private MvExpandOperator ParseMvExpand(SourcePosition pos)
    {
        SkipHints();
        string? itemIndex = null;
        var bagsAsArrays = false;
        while (_tokens.AtWord("bagexpansion") || _tokens.AtWord("with_itemindex") || _tokens.AtWord("kind"))
        {
            var word = _tokens.Advance().Text;
            _tokens.Expect(TokenKind.Equal, "'='");
            var valuePos = _tokens.Pos;
            var value = _tokens.ExpectName("a value");
            if (word == "with_itemindex")
            {
                itemIndex = value;
            }
            else if (value is "bag" or "array")
            {
                bagsAsArrays = value == "array";
            }
            else
            {
                throw valuePos.Error($"unknown mv-expand {word} '{value}' (expected bag or array)");
            }
        }

        var items = ParseMvExpandItems();
        Expr? limit = _tokens.AcceptWord("limit") ? ParseExpr() : null;
        return new MvExpandOperator(pos, items, itemIndex, limit, bagsAsArrays);
    }

    /// <summary>The expanded items of mv-expand and mv-apply: <c>[Name =] ArrayExpr [to typeof(T)]</c>, ….</summary>
    private List<MvExpandItem> ParseMvExpandItems()
    {
        var items = new List<MvExpandItem>();
        do
        {
            string? name = null;
            if (AtNameAndEqual())
            {
                name = _tokens.ExpectName("a column name");
                _tokens.Advance();
            }

            var expr = ParseExpr();
            KqlType? toType = null;
            if (_tokens.AcceptWord("to"))
            {
                _tokens.ExpectWord("typeof");
                _tokens.Expect(TokenKind.LParen, "'('");
                toType = ParseTypeName();
                _tokens.Expect(TokenKind.RParen, "')'");
            }

            items.Add(new MvExpandItem(name, expr, toType));
        }
        while (_tokens.Accept(TokenKind.Comma));

        return items;
    }

    private MakeSeriesOperator ParseMakeSeries(SourcePosition pos)
    {
        if (_tokens.AcceptWord("kind"))
        {
            _tokens.Expect(TokenKind.Equal, "'=' after kind");
            _tokens.ExpectName("a make-series kind");
        }

        var aggregates = new List<(Assignment, Expr?)>();
        do
        {
            var aggPos = _tokens.Pos;
            string? name = null;
            if (AtNameAndEqual())
            {
                name = _tokens.ExpectName("a column name");
                _tokens.Advance();
            }

            var expr = ParseExpr();
            Expr? def = null;
            if (_tokens.AcceptWord("default"))
            {
                _tokens.Expect(TokenKind.Equal, "'=' after default");
                def = ParseExpr();
            }

            aggregates.Add((new Assignment(name, expr, aggPos), def));
        }
        while (_tokens.Accept(TokenKind.Comma));

        _tokens.ExpectWord("on");
        var axis = ParseExpr();
        Expr? from = _tokens.AcceptWord("from") ? ParseExpr() : null;
        Expr? to = _tokens.AcceptWord("to") ? ParseExpr() : null;
        _tokens.ExpectWord("step");
        var step = ParseExpr();
        var by = _tokens.AcceptWord("by") ? ParseAssignments() : [];
        return new MakeSeriesOperator(pos, aggregates, axis, from, to, step, by);
    }

    private RenderOperator ParseRender(SourcePosition pos)
    {
        var kind = _tokens.ExpectName("a chart kind after render (timechart, linechart, columnchart, barchart, piechart, …)");
        string? title = null;
        if (_tokens.AcceptWord("with"))
        {
            _tokens.Expect(TokenKind.LParen, "'('");
            do
            {
                var prop = _tokens.ExpectName("a render property");
                _tokens.Expect(TokenKind.Equal, "'='");
                var value = ParseExpr();
                if (prop == "title" && value is LiteralExpr { Value: string s })
                {
                    title = s;
                }
            }
            while (_tokens.Accept(TokenKind.Comma));

            _tokens.Expect(TokenKind.RParen, "')'");
        }

        return new RenderOperator(pos, kind, title);
    }

    private UnionOperator ParseUnion(Token unionToken)
    {
        var pos = TokenCursor.PosOf(unionToken);
        var kind = "outer";
        string? withSource = null;
        while (_tokens.AtWord("kind") || _tokens.AtWord("withsource") || _tokens.AtWord("isfuzzy"))
        {
            var word = _tokens.Advance().Text;
            _tokens.Expect(TokenKind.Equal, "'='");
            var value = _tokens.ExpectName("a value");
            if (word == "kind")
            {
                if (value is not ("inner" or "outer"))
                {
                    throw _tokens.Unexpected("union kind inner or outer");
                }

                kind = value;
            }
            else if (word == "withsource")
            {
                withSource = value;
            }
        }

        var inputs = ParseTableList("a table name or (tabular expression) in union");
        return new UnionOperator(pos, inputs, kind, withSource);
    }

    /// <summary>Tables for union, search and find: names, patterns with wildcards (Staging*), calls and (queries), comma-separated.</summary>
    private List<TabularExpr> ParseTableList(string expected)
    {
        var inputs = new List<TabularExpr>();
        do
        {
            var p = _tokens.Pos;
            if (_tokens.Accept(TokenKind.LParen))
            {
                inputs.Add(ParseTabular());
                _tokens.Expect(TokenKind.RParen, "')'");
            }
            else if (_tokens.AtName || _tokens.At(TokenKind.Star))
            {
                // A table name, possibly with wildcards (Staging*), or a function call.
                var name = "";
                while (_tokens.AtName || _tokens.At(TokenKind.Star))
                {
                    name += _tokens.At(TokenKind.Star) ? _tokens.Advance().Text : _tokens.ExpectName("a table name");
                    if (_tokens.At(TokenKind.Comma) || _tokens.At(TokenKind.Pipe))
                    {
                        break;
                    }
                }

                inputs.Add(_tokens.At(TokenKind.LParen) ? new CallSource(p, name, ParseArguments()) : new NameSource(p, name));
            }
            else
            {
                throw _tokens.Unexpected(expected);
            }
        }
        while (_tokens.Accept(TokenKind.Comma));

        return inputs;
    }
}
