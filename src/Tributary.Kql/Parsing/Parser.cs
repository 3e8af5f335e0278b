using System.Globalization;
using Tributary.Kql.Syntax;
using Tributary.Kql.Values;

namespace Tributary.Kql.Parsing;

/// <summary>A recursive-descent parser for the KQL query language (statements, tabular operators, scalar expressions).</summary>
internal sealed class Parser
{
    private static readonly HashSet<string> StringOperators = new(StringComparer.Ordinal)
    {
        "has", "!has", "has_cs", "!has_cs", "hasprefix", "!hasprefix", "hassuffix", "!hassuffix",
        "contains", "!contains", "contains_cs", "!contains_cs", "startswith", "!startswith", "startswith_cs", "!startswith_cs",
        "endswith", "!endswith", "endswith_cs", "!endswith_cs", "matches", "has_any", "has_all",
    };

    private readonly List<Token> _tokens;
    private readonly string _text;
    private int _index;

    private Parser(List<Token> tokens, string text)
    {
        _tokens = tokens;
        _text = text;
    }

    /// <summary>Parses a complete query.</summary>
    public static QueryText ParseQuery(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text), text);
        var query = parser.ParseQueryText(TokenKind.End);
        parser.Expect(TokenKind.End, "end of query");
        return query;
    }

    /// <summary>Parses a single scalar expression (used for defaults and <c>datatable</c> values).</summary>
    public static Expr ParseExpression(string text)
    {
        var parser = new Parser(Lexer.Tokenize(text), text);
        var expr = parser.ParseExpr();
        parser.Expect(TokenKind.End, "end of expression");
        return expr;
    }

    // ---- token helpers -------------------------------------------------------------------

    private Token Current => _tokens[_index];

    private Token PeekToken(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private SourcePosition Pos => new(Current.Line, Current.Column);

    private static SourcePosition PosOf(Token t) => new(t.Line, t.Column);

    private Token Advance() => _tokens[_index++];

    private bool At(TokenKind kind) => Current.Kind == kind;

    private bool AtWord(string word) => Current.Kind == TokenKind.Identifier && Current.Text == word;

    private bool Accept(TokenKind kind)
    {
        if (At(kind))
        {
            _index++;
            return true;
        }

        return false;
    }

    private bool AcceptWord(string word)
    {
        if (AtWord(word))
        {
            _index++;
            return true;
        }

        return false;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (!At(kind))
        {
            throw Unexpected(what);
        }

        return Advance();
    }

    private void ExpectWord(string word)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected($"'{word}'");
        }
    }

    private KqlException Unexpected(string expected) =>
        Pos.Error($"syntax error: expected {expected} but found {Current}");

    private string ExpectName(string what)
    {
        if (!At(TokenKind.Identifier))
        {
            throw Unexpected(what);
        }

        return Advance().Text;
    }

    // ---- statements ----------------------------------------------------------------------

    private QueryText ParseQueryText(TokenKind terminator)
    {
        var statements = new List<Statement>();
        TabularExpr? body = null;
        Expr? scalarBody = null;
        while (!At(terminator) && !At(TokenKind.End))
        {
            if (Accept(TokenKind.Semicolon))
            {
                continue;
            }

            if (AtWord("let"))
            {
                statements.Add(ParseLet());
            }
            else if (AtWord("declare") && PeekToken().IsIdentifier("query_parameters"))
            {
                statements.Add(ParseDeclare());
            }
            else if (AtWord("set") && PeekToken().Kind == TokenKind.Identifier && PeekToken(2).Kind is TokenKind.Semicolon or TokenKind.Equal)
            {
                // Client request properties (set notruncation;) do not change the answer.
                while (!At(TokenKind.Semicolon) && !At(TokenKind.End))
                {
                    Advance();
                }
            }
            else
            {
                if (body is not null || scalarBody is not null)
                {
                    throw Pos.Error("syntax error: a query has one tabular expression; separate statements with ';'");
                }

                if (terminator == TokenKind.RBrace && !LooksTabular())
                {
                    scalarBody = ParseExpr();
                }
                else
                {
                    body = ParseTabular();
                }

                if (!At(TokenKind.Semicolon))
                {
                    break;
                }
            }
        }

        return new QueryText(statements, body, scalarBody);
    }

    // Inside a function body a scalar expression is possible: { x * 2 }. Tabular bodies start with a
    // table-like source followed by '|' or end, or with a known source keyword.
    private bool LooksTabular()
    {
        if (AtWord("datatable") || AtWord("range") || AtWord("print") || AtWord("union") || At(TokenKind.LParen))
        {
            return true;
        }

        if (At(TokenKind.Identifier))
        {
            var next = PeekToken();
            if (next.Kind is TokenKind.Pipe or TokenKind.RBrace or TokenKind.Semicolon)
            {
                return true;
            }

            if (next.Kind == TokenKind.LParen)
            {
                // f(x) | … is tabular; f(x) alone is ambiguous: treat as tabular if followed by a pipe.
                return AfterClosingParen(_index + 1) is TokenKind.Pipe or TokenKind.RBrace or TokenKind.Semicolon;
            }
        }

        return false;
    }

    private LetStatement ParseLet()
    {
        var pos = Pos;
        ExpectWord("let");
        var name = ExpectName("a name after 'let'");
        Expect(TokenKind.Equal, "'=' after the let name");
        if (AtWord("view") && PeekToken().Kind == TokenKind.LParen)
        {
            // let V = view () { … }: a view is a parameterless function.
            Advance();
        }

        if (At(TokenKind.LParen) && IsFunctionLiteral())
        {
            var parameters = ParseParameterList();
            Expect(TokenKind.LBrace, "'{' to start the function body");
            var body = ParseQueryText(TokenKind.RBrace);
            Expect(TokenKind.RBrace, "'}' to end the function body");
            return new LetStatement(pos, name, null, null, new FunctionLiteral(parameters, body));
        }

        if (StartsTabular())
        {
            return new LetStatement(pos, name, null, ParseTabular(), null);
        }

        return new LetStatement(pos, name, ParseExpr(), null, null);
    }

    // let f = (a:long, b:string) { … } versus let x = (1 + 2).
    private bool IsFunctionLiteral() => AfterClosingParen(_index) == TokenKind.LBrace;

    /// <summary>The kind of the token after the ')' that closes the '(' at <paramref name="open"/>; End when unclosed.</summary>
    private TokenKind AfterClosingParen(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            var k = _tokens[i].Kind;
            if (k == TokenKind.LParen)
            {
                depth++;
            }
            else if (k == TokenKind.RParen && --depth == 0)
            {
                return _tokens[i + 1].Kind;
            }
        }

        return TokenKind.End;
    }

    private bool StartsTabular()
    {
        if (AtWord("datatable") || AtWord("range") && PeekToken().Kind == TokenKind.Identifier || AtWord("print") || AtWord("union"))
        {
            return true;
        }

        if (At(TokenKind.LParen))
        {
            // (T | where …) — a parenthesized pipeline.
            var depth = 0;
            for (var i = _index; i < _tokens.Count; i++)
            {
                var k = _tokens[i].Kind;
                if (k == TokenKind.LParen)
                {
                    depth++;
                }
                else if (k == TokenKind.RParen && --depth == 0)
                {
                    return false;
                }
                else if (k == TokenKind.Pipe && depth == 1)
                {
                    return true;
                }
            }

            return false;
        }

        if (At(TokenKind.Identifier))
        {
            // A name followed by '|' (or a call followed by '|') is tabular; anything else is scalar.
            if (PeekToken().Kind == TokenKind.Pipe)
            {
                return true;
            }

            if (PeekToken().Kind == TokenKind.LParen)
            {
                return AfterClosingParen(_index + 1) == TokenKind.Pipe;
            }
        }

        return false;
    }

    private List<FunctionParameter> ParseParameterList()
    {
        Expect(TokenKind.LParen, "'('");
        var parameters = new List<FunctionParameter>();
        if (!At(TokenKind.RParen))
        {
            do
            {
                var name = ExpectName("a parameter name");
                Expect(TokenKind.Colon, $"':' and a type after parameter '{name}'");
                KqlType? type;
                if (Accept(TokenKind.LParen))
                {
                    // Tabular parameter: (*) or (col:type, …).
                    while (!At(TokenKind.RParen) && !At(TokenKind.End))
                    {
                        Advance();
                    }

                    Expect(TokenKind.RParen, "')'");
                    type = null;
                }
                else
                {
                    type = ParseTypeName();
                }

                string? defaultValue = null;
                if (Accept(TokenKind.Equal))
                {
                    var start = Current.Offset;
                    ParseExpr();
                    defaultValue = _text[start..Current.Offset].Trim();
                }

                parameters.Add(new FunctionParameter(name, type, defaultValue));
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RParen, "')' to close the parameter list");
        return parameters;
    }

    private KqlType ParseTypeName()
    {
        if (At(TokenKind.TypedLiteral))
        {
            throw Unexpected("a type name");
        }

        var pos = Pos;
        var name = ExpectName("a type name");
        if (!KqlTypes.TryParse(name, out var type))
        {
            throw pos.Error($"unknown type '{name}' (expected one of string, int, long, real, decimal, bool, datetime, timespan, guid, dynamic)");
        }

        return type;
    }

    private DeclareParametersStatement ParseDeclare()
    {
        var pos = Pos;
        ExpectWord("declare");
        ExpectWord("query_parameters");
        Expect(TokenKind.LParen, "'('");
        var parameters = new List<FunctionParameter>();
        var defaults = new List<Expr?>();
        if (!At(TokenKind.RParen))
        {
            do
            {
                var name = ExpectName("a parameter name");
                Expect(TokenKind.Colon, "':'");
                var type = ParseTypeName();
                Expr? def = Accept(TokenKind.Equal) ? ParseExpr() : null;
                parameters.Add(new FunctionParameter(name, type));
                defaults.Add(def);
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RParen, "')'");
        return new DeclareParametersStatement(pos, parameters, defaults);
    }

    // ---- tabular expressions ---------------------------------------------------------------

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
        var pos = Pos;
        TabularExpr source;
        var operators = new List<QueryOperator>();
        if (At(TokenKind.Pipe))
        {
            throw Unexpected("a table name or tabular expression before '|'");
        }

        if (AtWord("union"))
        {
            source = new UnionSource(pos, ParseUnion(Advance()));
        }
        else
        {
            source = ParseSource();
        }

        while (Accept(TokenKind.Pipe))
        {
            // Each operator nests the translation one level deeper, like a pair of parentheses.
            if (operators.Count == MaxOperators)
            {
                throw Pos.Error($"the query nests too deeply (more than {MaxOperators} operators in one pipeline)");
            }

            operators.Add(ParseOperator());
        }

        return operators.Count == 0 ? source : new PipelineExpr(pos, source, operators);
    }

    private TabularExpr ParseSource()
    {
        var pos = Pos;
        if (Accept(TokenKind.LParen))
        {
            var inner = ParseTabular();
            Expect(TokenKind.RParen, "')'");
            return inner;
        }

        if (AtWord("datatable") && PeekToken().Kind == TokenKind.LParen)
        {
            Advance();
            return ParseDatatable(pos);
        }

        if (AtWord("range") && PeekToken().Kind == TokenKind.Identifier)
        {
            Advance();
            var column = ExpectName("a column name after 'range'");
            ExpectWord("from");
            var from = ParseExpr();
            ExpectWord("to");
            var to = ParseExpr();
            ExpectWord("step");
            var step = ParseExpr();
            return new RangeSource(pos, column, from, to, step);
        }

        if (AtWord("print"))
        {
            Advance();
            var columns = ParseAssignments();
            return new PrintSource(pos, columns);
        }

        if (!At(TokenKind.Identifier))
        {
            throw Unexpected("a table name or tabular expression");
        }

        var name = Advance().Text;
        if (At(TokenKind.LParen))
        {
            return new CallSource(pos, name, ParseArguments());
        }

        return new NameSource(pos, name);
    }

    private DatatableSource ParseDatatable(SourcePosition pos)
    {
        Expect(TokenKind.LParen, "'('");
        var columns = new List<KqlColumn>();
        do
        {
            var name = ExpectName("a column name");
            Expect(TokenKind.Colon, "':'");
            columns.Add(new KqlColumn(name, ParseTypeName()));
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RParen, "')'");
        Expect(TokenKind.LBracket, "'[' with the datatable values");
        var values = new List<Expr>();
        if (!At(TokenKind.RBracket))
        {
            do
            {
                if (At(TokenKind.RBracket))
                {
                    break;
                }

                values.Add(ParseExpr());
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RBracket, "']'");
        if (values.Count % columns.Count != 0)
        {
            throw pos.Error($"datatable has {columns.Count} columns but {values.Count} values, which is not a whole number of rows");
        }

        return new DatatableSource(pos, columns, values);
    }

    private List<Expr> ParseArguments()
    {
        Expect(TokenKind.LParen, "'('");
        var args = new List<Expr>();
        if (!At(TokenKind.RParen))
        {
            do
            {
                args.Add(ParseArgument());
            }
            while (Accept(TokenKind.Comma));
        }

        Expect(TokenKind.RParen, "')' to close the argument list");
        return args;
    }

    private Expr ParseArgument()
    {
        if (At(TokenKind.Star))
        {
            var pos = Pos;
            Advance();
            return new StarExpr(pos);
        }

        if (StartsTabular() && !At(TokenKind.LParen))
        {
            var pos = Pos;
            return new TabularArgExpr(pos, ParseTabular());
        }

        return ParseExpr();
    }

    private QueryOperator ParseOperator()
    {
        var pos = Pos;
        if (!At(TokenKind.Identifier))
        {
            throw Unexpected("a query operator (where, project, extend, summarize, …) after '|'");
        }

        var word = Advance().Text;
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
                        var p = Pos;
                        var newName = ExpectName("a new column name");
                        Expect(TokenKind.Equal, "'=' in project-rename NewName = OldName");
                        var oldName = ExpectName("the column to rename");
                        renames.Add((newName, oldName, p));
                    }
                    while (Accept(TokenKind.Comma));

                    return new ProjectRenameOperator(pos, renames);
                }

            case "extend":
                return new ExtendOperator(pos, ParseAssignments(allowTuples: true));
            case "summarize":
                {
                    SkipHints();
                    var aggregates = AtWord("by") ? [] : ParseAssignments();
                    var by = AcceptWord("by") ? ParseAssignments() : [];
                    if (aggregates.Count == 0 && by.Count == 0)
                    {
                        throw Unexpected("an aggregation or 'by' after summarize");
                    }

                    return new SummarizeOperator(pos, aggregates, by);
                }

            case "sort":
            case "order":
                ExpectWord("by");
                return new SortOperator(pos, ParseSortKeys());
            case "top":
                {
                    var count = ParseExpr();
                    ExpectWord("by");
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
                if (Accept(TokenKind.Star))
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
                return new SerializeOperator(pos, At(TokenKind.Pipe) || At(TokenKind.End) || At(TokenKind.RParen) || At(TokenKind.Semicolon) || At(TokenKind.RBrace) ? [] : ParseAssignments());
            case "as":
                SkipHints();
                return new AsOperator(pos, ExpectName("a name after 'as'"));
            case "render":
                return ParseRender(pos);
            case "union":
                return ParseUnion(_tokens[_index - 1]);
            case "getschema":
                return new GetSchemaOperator(pos);
            case "parse":
                return ParseParse(pos);
            case "make-series":
                return ParseMakeSeries(pos);
            default:
                throw pos.Error($"unknown or unsupported query operator '{word}' (supported: where, project, project-away, project-keep, project-rename, project-reorder, extend, parse, summarize, make-series, sort/order by, top, take/limit, distinct, count, join, lookup, mv-expand, serialize, as, union, getschema, render)");
        }
    }

    private void SkipHints()
    {
        while (At(TokenKind.Identifier) && Current.Text.StartsWith("hint", StringComparison.Ordinal) && PeekToken().Kind == TokenKind.Dot)
        {
            Advance();
            Advance();
            ExpectName("a hint name");
            Expect(TokenKind.Equal, "'=' after the hint name");
            ParseUnary();
        }
    }

    private List<(string, SourcePosition)> ParseNamePatterns()
    {
        var names = new List<(string, SourcePosition)>();
        do
        {
            var pos = Pos;
            var text = "";
            // A pattern is name parts and '*' without spaces between them: Col*, *Time, *.
            while (true)
            {
                if (At(TokenKind.Star))
                {
                    text += "*";
                    Advance();
                }
                else if (At(TokenKind.Identifier) && (text.Length == 0 || text.EndsWith('*')))
                {
                    text += Advance().Text;
                }
                else
                {
                    break;
                }

                if (At(TokenKind.Comma) || At(TokenKind.Pipe) || At(TokenKind.End))
                {
                    break;
                }
            }

            if (text.Length == 0)
            {
                throw Unexpected("a column name");
            }

            names.Add((text, pos));
        }
        while (Accept(TokenKind.Comma));

        return names;
    }

    /// <param name="allowTuples">True in extend and project, where <c>(a, b) = f(…)</c> names the columns of a function that returns several.</param>
    private List<Assignment> ParseAssignments(bool allowTuples = false)
    {
        var list = new List<Assignment>();
        do
        {
            var pos = Pos;
            if (At(TokenKind.Identifier) && PeekToken().Kind == TokenKind.Equal)
            {
                var name = Advance().Text;
                Advance();
                list.Add(new Assignment(name, ParseExpr(), pos));
            }
            else if (At(TokenKind.LParen) && IsTupleAssignment())
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
        while (Accept(TokenKind.Comma));

        return list;
    }

    private bool IsTupleAssignment() => AfterClosingParen(_index) == TokenKind.Equal;

    // (a, b, c) = expr
    private Assignment ParseTupleAssignment(SourcePosition pos)
    {
        Expect(TokenKind.LParen, "'('");
        var names = new List<string>();
        do
        {
            names.Add(ExpectName("a column name"));
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RParen, "')' after the column names");
        Expect(TokenKind.Equal, "'=' after the column names");
        return new Assignment(null, ParseExpr(), pos) { TupleNames = names };
    }

    private List<OrderingTerm> ParseSortKeys()
    {
        var keys = new List<OrderingTerm>();
        do
        {
            var expr = ParseExpr();
            var ascending = false;
            if (AcceptWord("asc"))
            {
                ascending = true;
            }
            else
            {
                AcceptWord("desc");
            }

            bool? nullsFirst = null;
            if (AcceptWord("nulls"))
            {
                if (AcceptWord("first"))
                {
                    nullsFirst = true;
                }
                else
                {
                    ExpectWord("last");
                    nullsFirst = false;
                }
            }

            keys.Add(new OrderingTerm(expr, ascending, nullsFirst));
        }
        while (Accept(TokenKind.Comma));

        return keys;
    }

    private string ParseKind(string defaultKind, IReadOnlySet<string> allowed, string op)
    {
        var kind = defaultKind;
        while (At(TokenKind.Identifier) && (Current.Text == "kind" || Current.Text.StartsWith("hint", StringComparison.Ordinal) || Current.Text == "withsource" || Current.Text == "isfuzzy"))
        {
            if (Current.Text == "kind")
            {
                Advance();
                Expect(TokenKind.Equal, "'=' after kind");
                var pos = Pos;
                kind = ExpectName("a join kind");
                if (!allowed.Contains(kind))
                {
                    throw pos.Error($"unknown {op} kind '{kind}' (expected one of {string.Join(", ", allowed)})");
                }
            }
            else if (PeekToken().Kind == TokenKind.Dot)
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
        if (Accept(TokenKind.LParen))
        {
            var inner = ParseTabular();
            Expect(TokenKind.RParen, "')' to close the right side of the join");
            return inner;
        }

        return ParseSource();
    }

    private List<JoinKey> ParseJoinKeys()
    {
        ExpectWord("on");
        var keys = new List<JoinKey>();
        do
        {
            var pos = Pos;
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
        while (Accept(TokenKind.Comma));

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
        while (AtWord("bagexpansion") || AtWord("with_itemindex") || AtWord("kind"))
        {
            var word = Advance().Text;
            Expect(TokenKind.Equal, "'='");
            var valuePos = Pos;
            var value = ExpectName("a value");
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

        var items = new List<MvExpandItem>();
        do
        {
            string? name = null;
            if (At(TokenKind.Identifier) && PeekToken().Kind == TokenKind.Equal)
            {
                name = Advance().Text;
                Advance();
            }

            var expr = ParseExpr();
            KqlType? toType = null;
            if (AcceptWord("to"))
            {
                ExpectWord("typeof");
                Expect(TokenKind.LParen, "'('");
                toType = ParseTypeName();
                Expect(TokenKind.RParen, "')'");
            }

            items.Add(new MvExpandItem(name, expr, toType));
        }
        while (Accept(TokenKind.Comma));

        Expr? limit = AcceptWord("limit") ? ParseExpr() : null;
        return new MvExpandOperator(pos, items, itemIndex, limit, bagsAsArrays);
    }

    private MakeSeriesOperator ParseMakeSeries(SourcePosition pos)
    {
        if (AcceptWord("kind"))
        {
            Expect(TokenKind.Equal, "'=' after kind");
            ExpectName("a make-series kind");
        }

        var aggregates = new List<(Assignment, Expr?)>();
        do
        {
            var aggPos = Pos;
            string? name = null;
            if (At(TokenKind.Identifier) && PeekToken().Kind == TokenKind.Equal)
            {
                name = Advance().Text;
                Advance();
            }

            var expr = ParseExpr();
            Expr? def = null;
            if (AcceptWord("default"))
            {
                Expect(TokenKind.Equal, "'=' after default");
                def = ParseExpr();
            }

            aggregates.Add((new Assignment(name, expr, aggPos), def));
        }
        while (Accept(TokenKind.Comma));

        ExpectWord("on");
        var axis = ParseExpr();
        Expr? from = AcceptWord("from") ? ParseExpr() : null;
        Expr? to = AcceptWord("to") ? ParseExpr() : null;
        ExpectWord("step");
        var step = ParseExpr();
        var by = AcceptWord("by") ? ParseAssignments() : [];
        return new MakeSeriesOperator(pos, aggregates, axis, from, to, step, by);
    }

    private ParseOperator ParseParse(SourcePosition pos)
    {
        var kind = "simple";
        while (AtWord("kind") || AtWord("flags"))
        {
            var word = Advance().Text;
            Expect(TokenKind.Equal, $"'=' after {word}");
            var value = Advance();
            if (word == "kind")
            {
                if (value.Text is not ("simple" or "regex" or "relaxed"))
                {
                    throw PosOf(value).Error($"unknown parse kind '{value.Text}' (expected simple, regex or relaxed)");
                }

                kind = value.Text;
            }
        }

        var source = ParseExpr();
        ExpectWord("with");
        var items = new List<ParseItem>();
        while (true)
        {
            var itemPos = Pos;
            if (At(TokenKind.StringLiteral))
            {
                items.Add(new ParseItem(Advance().Text, null, KqlType.String, false, itemPos));
            }
            else if (At(TokenKind.Star))
            {
                Advance();
                items.Add(new ParseItem(null, null, KqlType.String, true, itemPos));
            }
            else if (At(TokenKind.Identifier))
            {
                var column = Advance().Text;
                var type = KqlType.String;
                if (Accept(TokenKind.Colon))
                {
                    type = ParseTypeName();
                }

                items.Add(new ParseItem(null, column, type, false, itemPos));
            }
            else
            {
                break;
            }

            Accept(TokenKind.Comma);
        }

        if (!items.Any(i => i.Column is not null))
        {
            throw pos.Error("parse needs at least one column to extract: parse Text with \"key=\" Value:long *");
        }

        return new ParseOperator(pos, kind, source, items);
    }

    private RenderOperator ParseRender(SourcePosition pos)
    {
        var kind = ExpectName("a chart kind after render (timechart, linechart, columnchart, barchart, piechart, …)");
        string? title = null;
        if (AcceptWord("with"))
        {
            Expect(TokenKind.LParen, "'('");
            do
            {
                var prop = ExpectName("a render property");
                Expect(TokenKind.Equal, "'='");
                var value = ParseExpr();
                if (prop == "title" && value is LiteralExpr { Value: string s })
                {
                    title = s;
                }
            }
            while (Accept(TokenKind.Comma));

            Expect(TokenKind.RParen, "')'");
        }

        return new RenderOperator(pos, kind, title);
    }

    private UnionOperator ParseUnion(Token unionToken)
    {
        var pos = PosOf(unionToken);
        var kind = "outer";
        string? withSource = null;
        while (AtWord("kind") || AtWord("withsource") || AtWord("isfuzzy"))
        {
            var word = Advance().Text;
            Expect(TokenKind.Equal, "'='");
            var value = ExpectName("a value");
            if (word == "kind")
            {
                if (value is not ("inner" or "outer"))
                {
                    throw Unexpected("union kind inner or outer");
                }

                kind = value;
            }
            else if (word == "withsource")
            {
                withSource = value;
            }
        }

        var inputs = new List<TabularExpr>();
        do
        {
            var p = Pos;
            if (Accept(TokenKind.LParen))
            {
                inputs.Add(ParseTabular());
                Expect(TokenKind.RParen, "')'");
            }
            else if (At(TokenKind.Identifier) || At(TokenKind.Star))
            {
                // A table name, possibly with wildcards (Staging*), or a function call.
                var name = "";
                while (At(TokenKind.Identifier) || At(TokenKind.Star))
                {
                    name += Advance().Text;
                    if (At(TokenKind.Comma) || At(TokenKind.Pipe))
                    {
                        break;
                    }
                }

                inputs.Add(At(TokenKind.LParen) ? new CallSource(p, name, ParseArguments()) : new NameSource(p, name));
            }
            else
            {
                throw Unexpected("a table name or (tabular expression) in union");
            }
        }
        while (Accept(TokenKind.Comma));

        return new UnionOperator(pos, inputs, kind, withSource);
    }

    // ---- scalar expressions ----------------------------------------------------------------

    private const int MaxDepth = 200;
    private const int MaxOperators = 1000;
    private int _depth;

    internal Expr ParseExpr()
    {
        Enter();
        try
        {
            return ParseOr();
        }
        finally
        {
            _depth--;
        }
    }

    // Deeply nested input must not overflow the stack (which would kill the process).
    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Pos.Error($"the query nests too deeply (more than {MaxDepth} levels)");
        }
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (At(TokenKind.Identifier) && Current.Text == "or")
        {
            var pos = Pos;
            Advance();
            left = new BinaryExpr(pos, "or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseComparison();
        while (At(TokenKind.Identifier) && Current.Text == "and")
        {
            var pos = Pos;
            Advance();
            left = new BinaryExpr(pos, "and", left, ParseComparison());
        }

        return left;
    }

    private Expr ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            var pos = Pos;
            var t = Current;
            string? op = t.Kind switch
            {
                TokenKind.EqualEqual => "==",
                TokenKind.BangEqual => "!=",
                TokenKind.LessGreater => "!=",
                TokenKind.Less => "<",
                TokenKind.LessEqual => "<=",
                TokenKind.Greater => ">",
                TokenKind.GreaterEqual => ">=",
                TokenKind.EqualTilde => "=~",
                TokenKind.BangTilde => "!~",
                _ => null,
            };
            if (op is not null)
            {
                Advance();
                left = new BinaryExpr(pos, op, left, ParseAdditive());
                continue;
            }

            if (t.Kind != TokenKind.Identifier)
            {
                return left;
            }

            if (t.Text is "in" or "!in" or "in~" or "!in~")
            {
                Advance();
                Expect(TokenKind.LParen, $"'(' after {t.Text}");
                var items = new List<Expr>();
                if (!At(TokenKind.RParen))
                {
                    do
                    {
                        items.Add(ParseArgument());
                    }
                    while (Accept(TokenKind.Comma));
                }

                Expect(TokenKind.RParen, "')'");
                left = new InExpr(pos, left, items, t.Text.StartsWith('!'), t.Text.EndsWith('~'));
                continue;
            }

            if (t.Text is "between" or "!between")
            {
                Advance();
                Expect(TokenKind.LParen, "'(' after between");
                var low = ParseAdditive();
                Expect(TokenKind.DotDot, "'..' between the bounds");
                var high = ParseAdditive();
                Expect(TokenKind.RParen, "')'");
                left = new BetweenExpr(pos, left, low, high, t.Text.StartsWith('!'));
                continue;
            }

            if (StringOperators.Contains(t.Text))
            {
                Advance();
                var name = t.Text;
                if (name == "matches")
                {
                    ExpectWord("regex");
                    name = "matches regex";
                }

                if (name is "has_any" or "has_all")
                {
                    Expect(TokenKind.LParen, $"'(' after {name}");
                    var items = new List<Expr>();
                    do
                    {
                        items.Add(ParseExpr());
                    }
                    while (Accept(TokenKind.Comma));

                    Expect(TokenKind.RParen, "')'");
                    left = new CallExpr(pos, name, [left, .. items]);
                    continue;
                }

                left = new BinaryExpr(pos, name, left, ParseAdditive());
                continue;
            }

            return left;
        }
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (At(TokenKind.Plus) || At(TokenKind.Minus))
        {
            var pos = Pos;
            var op = Advance().Text;
            left = new BinaryExpr(pos, op, left, ParseMultiplicative());
        }

        return left;
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (At(TokenKind.Star) || At(TokenKind.Slash) || At(TokenKind.Percent))
        {
            var pos = Pos;
            var op = Advance().Text;
            left = new BinaryExpr(pos, op, left, ParseUnary());
        }

        return left;
    }

    private Expr ParseUnary()
    {
        if (At(TokenKind.Minus) || At(TokenKind.Plus))
        {
            var pos = Pos;
            var op = Advance().Text;
            Enter();
            Expr operand;
            try
            {
                operand = ParseUnary();
            }
            finally
            {
                _depth--;
            }

            if (op == "-" && operand is LiteralExpr { Value: long l } lit)
            {
                return lit with { Pos = pos, Value = -l };
            }

            if (op == "-" && operand is LiteralExpr { Value: double d } dl)
            {
                return dl with { Pos = pos, Value = -d };
            }

            if (op == "-" && operand is LiteralExpr { Value: TimeSpan ts } tl)
            {
                return tl with { Pos = pos, Value = -ts };
            }

            return op == "-" ? new UnaryExpr(pos, "-", operand) : operand;
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            if (At(TokenKind.Dot) && PeekToken().Kind == TokenKind.Identifier)
            {
                var pos = Pos;
                Advance();
                expr = new MemberExpr(pos, expr, Advance().Text);
            }
            else if (At(TokenKind.LBracket))
            {
                var pos = Pos;
                Advance();
                var index = ParseExpr();
                Expect(TokenKind.RBracket, "']'");
                expr = new IndexExpr(pos, expr, index);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var pos = Pos;
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.StringLiteral:
                Advance();
                var text = t.Text;
                // Adjacent string literals concatenate ("a" "b").
                while (At(TokenKind.StringLiteral))
                {
                    text += Advance().Text;
                }

                return new LiteralExpr(pos, text, KqlType.String);
            case TokenKind.LongLiteral:
                Advance();
                if (!long.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var l))
                {
                    if (double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var big))
                    {
                        return new LiteralExpr(pos, big, KqlType.Real);
                    }

                    throw pos.Error($"number '{t.Text}' is out of range");
                }

                return new LiteralExpr(pos, l, KqlType.Long);
            case TokenKind.RealLiteral:
                Advance();
                return new LiteralExpr(pos, double.Parse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture), KqlType.Real);
            case TokenKind.TimeSpanLiteral:
                Advance();
                if (!TimeSpanUnits.TryParse(t.Text, out var ticks))
                {
                    throw pos.Error($"'{t.Text}' is not a timespan literal");
                }

                return new LiteralExpr(pos, TimeSpan.FromTicks(ticks), KqlType.TimeSpan);
            case TokenKind.TypedLiteral:
                Advance();
                return TypedLiteral(pos, t.Prefix!, t.Text);
            case TokenKind.LParen:
                {
                    Advance();
                    if (StartsTabular())
                    {
                        var tab = ParseTabular();
                        Expect(TokenKind.RParen, "')'");
                        return new TabularArgExpr(pos, tab);
                    }

                    var inner = ParseExpr();
                    Expect(TokenKind.RParen, "')'");
                    return inner;
                }

            case TokenKind.Dollar:
                throw pos.Error("'$' must be followed by left or right ($left.column, $right.column)");
            case TokenKind.Identifier:
                {
                    Advance();
                    var name = t.Text;
                    switch (name)
                    {
                        case "true":
                            return new LiteralExpr(pos, true, KqlType.Bool);
                        case "false":
                            return new LiteralExpr(pos, false, KqlType.Bool);
                        case "typeof" when At(TokenKind.LParen):
                            {
                                Advance();
                                var type = ParseTypeName();
                                Expect(TokenKind.RParen, "')'");
                                return new TypeOfExpr(pos, type);
                            }
                    }

                    if (At(TokenKind.LParen) && name is "int" or "long" or "real" or "double" or "decimal" or "bool" or "boolean" or "string")
                    {
                        return ScalarTypeLiteral(pos, name);
                    }

                    if (At(TokenKind.LParen))
                    {
                        return new CallExpr(pos, name, ParseArguments());
                    }

                    return new NameExpr(pos, name);
                }

            default:
                throw Unexpected("an expression");
        }
    }

    private Expr ScalarTypeLiteral(SourcePosition pos, string name)
    {
        Expect(TokenKind.LParen, "'('");
        KqlTypes.TryParse(name, out var type);
        var negative = Accept(TokenKind.Minus);
        if (!negative)
        {
            // real(+inf)
            Accept(TokenKind.Plus);
        }

        var t = Current;
        Advance();
        Expect(TokenKind.RParen, "')'");
        if (t.IsIdentifier("null"))
        {
            return new LiteralExpr(pos, null, type);
        }

        var raw = (negative ? "-" : "") + t.Text;
        if (type == KqlType.String)
        {
            return new LiteralExpr(pos, raw, type);
        }

        if (!KqlValueParser.TryParse(raw, type, out var value))
        {
            throw pos.Error($"'{raw}' is not a valid {KqlTypes.Name(type)} literal");
        }

        return new LiteralExpr(pos, value, type);
    }

    private static string SingleToDoubleQuotes(string json)
    {
        if (!json.Contains('\''))
        {
            return json;
        }

        var sb = new System.Text.StringBuilder(json.Length);
        char? quote = null;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (quote is null)
            {
                if (c is '"' or '\'')
                {
                    quote = c;
                    sb.Append('"');
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < json.Length)
            {
                if (quote == '\'' && json[i + 1] == '\'')
                {
                    sb.Append('\'');
                }
                else
                {
                    sb.Append(c).Append(json[i + 1]);
                }

                i++;
            }
            else if (c == quote)
            {
                quote = null;
                sb.Append('"');
            }
            else if (c == '"')
            {
                sb.Append("\\\"");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    // time(2) is 2 days and time(15 seconds) is 15 seconds: forms only timespan literals accept.
    private static long? TimeSpanWords(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var days))
        {
            return (long)decimal.Round(days * TimeSpan.TicksPerDay);
        }

        return parts.Length == 2 && TimeSpanUnits.TryParse(parts[0] + parts[1], out var ticks) ? ticks : null;
    }

    private static LiteralExpr TypedLiteral(SourcePosition pos, string prefix, string content)
    {
        KqlTypes.TryParse(prefix, out var type);
        if (content == "null")
        {
            return new LiteralExpr(pos, type == KqlType.Dynamic ? "null" : null, type);
        }

        if (type == KqlType.Dynamic)
        {
            try
            {
                // Kusto also accepts single-quoted strings inside dynamic literals: dynamic({'a': 1}).
                using var doc = System.Text.Json.JsonDocument.Parse(SingleToDoubleQuotes(content));
                return new LiteralExpr(pos, doc.RootElement.GetRawText(), type);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw pos.Error($"dynamic(…) literal is not valid JSON: {e.Message.Split(" LineNumber")[0]}");
            }
        }

        var text = content;
        if (text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0])
        {
            text = text[1..^1];
        }

        if (type == KqlType.TimeSpan && TimeSpanWords(text) is { } ticks)
        {
            return new LiteralExpr(pos, TimeSpan.FromTicks(ticks), type);
        }

        if (!KqlValueParser.TryParse(text, type, out var value) || value is null)
        {
            var hint = type switch
            {
                KqlType.DateTime => " (expected ISO 8601 like 2019-05-21T19:25:39Z or 2019-05-21 19:25)",
                KqlType.TimeSpan => " (expected [d.]hh:mm:ss[.fffffff] or a literal like 10m)",
                _ => "",
            };
            throw pos.Error($"'{content}' is not a valid {prefix} literal{hint}");
        }

        return new LiteralExpr(pos, value, type);
    }
}
