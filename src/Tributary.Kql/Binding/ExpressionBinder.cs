using System.Globalization;
using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>Binds scalar expressions: resolves names, checks types, and produces DuckDB SQL with Kusto's semantics.</summary>
internal sealed partial class ExpressionBinder(QueryBinder owner)
{
    public QueryBinder Owner { get; } = owner;

    /// <summary>The name Kusto gives an unnamed expression's column, or null for "Column1"-style naming.</summary>
    public static string? DefaultName(Expr expr) => ResultNames.Of(expr);

    private const int MaxDepth = 400;
    private int _depth;

    public SqlValue Bind(Expr expr, BindContext ctx)
    {
        // Long operator chains (1 + 1 + … ) nest deeply; refuse them before the stack overflows.
        if (++_depth > MaxDepth)
        {
            _depth = 0;
            throw expr.Pos.Error($"the expression is too deeply nested (more than {MaxDepth} levels)");
        }

        try
        {
            var value = BindCore(expr, ctx);
            return value.Sql.Length <= QueryBinder.MaxSqlLength
                ? value
                : throw expr.Pos.Error("the query expands to too large a translation (does a let use the one before it several times?)");
        }
        finally
        {
            _depth = Math.Max(0, _depth - 1);
        }
    }

    private SqlValue BindCore(Expr expr, BindContext ctx) => expr switch
    {
        LiteralExpr lit => SqlValue.Literal(lit.Value, lit.Type),
        NameExpr name => BindName(name, ctx),
        BinaryExpr binary => BindBinary(binary, ctx),
        UnaryExpr unary => BindUnary(unary, ctx),
        CallExpr call => BindCall(call, ctx),
        MemberExpr member => BindMember(member, ctx),
        IndexExpr index => BindIndex(index, ctx),
        InExpr inExpr => BindIn(inExpr, ctx),
        BetweenExpr between => BindBetween(between, ctx),
        StarExpr star => throw star.Pos.Error("'*' is only allowed as an argument of arg_max, arg_min, take_any or count"),
        TypeOfExpr t => throw t.Pos.Error("typeof(…) is only allowed in mv-expand … to typeof(T)"),
        TabularArgExpr t => throw t.Pos.Error("a tabular expression cannot be used as a scalar here (use toscalar(…))"),
        _ => throw expr.Pos.Error("unsupported expression"),
    };

    private SqlValue BindName(NameExpr name, BindContext ctx)
    {
        if (ctx.Row?.Find(name.Name) is { } column)
        {
            ctx.Referenced?.Add(column.Name);
            return column.Value;
        }

        switch (ctx.Scope.Lookup(name.Name))
        {
            case ScalarBinding scalar:
                return scalar.Value;
            case TabularBinding or RelationBinding:
                throw name.Pos.Error($"'{name.Name}' is a table, not a scalar value");
            case FunctionBinding:
                throw name.Pos.Error($"'{name.Name}' is a function: call it with parentheses");
        }

        var candidates = (ctx.Row?.Columns.Select(c => c.Name) ?? []).Concat(ctx.Scope.Names());
        if (ctx.Row is null)
        {
            throw name.Pos.Error($"unknown name '{name.Name}'{Suggestions.DidYouMean(name.Name, candidates)}");
        }

        throw name.Pos.Error($"unknown column '{name.Name}'{Suggestions.DidYouMean(name.Name, candidates)} (columns: {string.Join(", ", ctx.Row.Columns.Select(c => c.Name).Take(30))})");
    }

    public SqlValue RequireBool(SqlValue value, SourcePosition pos, string where)
    {
        if (value.Type == KqlType.Bool)
        {
            return value;
        }

        if (value.Type == KqlType.Dynamic)
        {
            return Convert(value, KqlType.Bool, pos);
        }

        throw pos.Error($"{where} needs a bool expression but this is {KqlTypes.Name(value.Type)}");
    }

    public long ConstantLong(Expr expr, BindContext ctx, string what)
    {
        var value = Bind(expr, ctx);
        if (value is { IsConstant: true, Constant: long or int } && System.Convert.ToInt64(value.Constant, CultureInfo.InvariantCulture) >= 0)
        {
            return System.Convert.ToInt64(value.Constant, CultureInfo.InvariantCulture);
        }

        throw expr.Pos.Error($"{what} needs a non-negative whole number constant");
    }

    // ---- operators -------------------------------------------------------------------------------

    private SqlValue BindUnary(UnaryExpr unary, BindContext ctx)
    {
        var operand = Bind(unary.Operand, ctx);
        if (!KqlTypes.IsNumeric(operand.Type) && operand.Type != KqlType.TimeSpan)
        {
            throw unary.Pos.Error($"cannot negate a {KqlTypes.Name(operand.Type)}");
        }

        return Derived($"(-{operand.Sql})", operand.Type, operand);
    }

    internal static SqlValue Derived(string sql, KqlType type, params SqlValue[] from) => new(sql, type)
    {
        HasWindow = from.Any(f => f.HasWindow),
        HasAggregate = from.Any(f => f.HasAggregate),
    };

    internal static KqlType Promote(KqlType a, KqlType b)
    {
        if (a == KqlType.Real || b == KqlType.Real)
        {
            return KqlType.Real;
        }

        if (a == KqlType.Decimal || b == KqlType.Decimal)
        {
            return KqlType.Decimal;
        }

        if (a == KqlType.Long || b == KqlType.Long)
        {
            return KqlType.Long;
        }

        return KqlType.Int;
    }

    private SqlValue BindBinary(BinaryExpr binary, BindContext ctx)
    {
        if (binary.Op is "and" or "or")
        {
            var l = RequireBool(Bind(binary.Left, ctx), binary.Left.Pos, binary.Op);
            var r = RequireBool(Bind(binary.Right, ctx), binary.Right.Pos, binary.Op);
            return Derived($"({l.Sql} {binary.Op.ToUpperInvariant()} {r.Sql})", KqlType.Bool, l, r);
        }

        var left = Bind(binary.Left, ctx);
        var right = Bind(binary.Right, ctx);
        switch (binary.Op)
        {
            case "+" or "-" or "*" or "/" or "%":
                return Arithmetic(binary, left, right);
            case "==" or "!=" or "<" or "<=" or ">" or ">=":
                return Compare(binary, left, right);
            case "=~" or "!~":
                {
                    var l = ToStringValue(left);
                    var r = ToStringValue(right);
                    var sql = $"(lower({l.Sql}) {(binary.Op == "=~" ? "=" : "<>")} lower({r.Sql}))";
                    return Derived(sql, KqlType.Bool, l, r);
                }

            default:
                return StringOperator(binary, left, right);
        }
    }

    private SqlValue Arithmetic(BinaryExpr binary, SqlValue left, SqlValue right)
    {
        var op = binary.Op;
        if (left.Type == KqlType.Dynamic)
        {
            left = Convert(left, KqlTypes.IsNumeric(right.Type) ? KqlType.Real : right.Type, binary.Left.Pos);
        }

        if (right.Type == KqlType.Dynamic)
        {
            right = Convert(right, KqlTypes.IsNumeric(left.Type) ? KqlType.Real : left.Type, binary.Right.Pos);
        }

        if (TryFold(op, left, right) is { } folded)
        {
            return folded;
        }

        var (lt, rt) = (left.Type, right.Type);
        string sql;
        KqlType type;
        if (KqlTypes.IsNumeric(lt) && KqlTypes.IsNumeric(rt))
        {
            // As in Kusto, arithmetic on two ints gives a long (so it cannot overflow int's range).
            type = Promote(lt, rt) is KqlType.Int ? KqlType.Long : Promote(lt, rt);
            if (lt == KqlType.Int && rt == KqlType.Int)
            {
                left = Derived($"CAST({left.Sql} AS BIGINT)", KqlType.Long, left);
            }

            sql = op == "/" && type is KqlType.Int or KqlType.Long
                ? $"({left.Sql} // {right.Sql})"
                : $"({left.Sql} {op} {right.Sql})";
            if (op == "%")
            {
                // Kusto's modulo is never negative: 0 <= N % D < abs(D).
                sql = $"((({left.Sql} % {right.Sql}) + abs({right.Sql})) % abs({right.Sql}))";
            }

            if (op == "/" && type == KqlType.Real)
            {
                sql = $"(CAST({left.Sql} AS DOUBLE) / {right.Sql})";
            }

            if (op == "/" && type == KqlType.Decimal)
            {
                // Exact, not through doubles as the engine's own decimal division.
                sql = $"kql_decimal_divide(CAST({left.Sql} AS DECIMAL(38,18)), CAST({right.Sql} AS DECIMAL(38,18)))";
            }
        }
        else if (lt == KqlType.DateTime && rt == KqlType.DateTime && op == "-")
        {
            type = KqlType.TimeSpan;
            sql = $"({left.Sql} - {right.Sql})";
        }
        else if (lt == KqlType.DateTime && rt == KqlType.TimeSpan && op is "+" or "-")
        {
            type = KqlType.DateTime;
            sql = $"({left.Sql} {op} {right.Sql})";
        }
        else if (lt == KqlType.TimeSpan && rt == KqlType.DateTime && op == "+")
        {
            type = KqlType.DateTime;
            sql = $"({right.Sql} + {left.Sql})";
        }
        else if (lt == KqlType.TimeSpan && rt == KqlType.TimeSpan)
        {
            switch (op)
            {
                case "+" or "-" or "%":
                    type = KqlType.TimeSpan;
                    sql = $"({left.Sql} {op} {right.Sql})";
                    break;
                case "/":
                    type = KqlType.Real;
                    sql = $"(CAST({left.Sql} AS DOUBLE) / {right.Sql})";
                    break;
                default:
                    throw binary.Pos.Error("cannot multiply a timespan by a timespan");
            }
        }
        else if (lt == KqlType.TimeSpan && KqlTypes.IsNumeric(rt) && op is "*" or "/")
        {
            type = KqlType.TimeSpan;
            sql = $"CAST(round({left.Sql} {op} CAST({right.Sql} AS DOUBLE)) AS BIGINT)";
        }
        else if (KqlTypes.IsNumeric(lt) && rt == KqlType.TimeSpan && op == "*")
        {
            type = KqlType.TimeSpan;
            sql = $"CAST(round(CAST({left.Sql} AS DOUBLE) * {right.Sql}) AS BIGINT)";
        }
        else
        {
            throw binary.Pos.Error($"operator '{op}' cannot combine {KqlTypes.Name(lt)} and {KqlTypes.Name(rt)}");
        }

        return Derived(sql, type, left, right);
    }

    /// <summary>Folds arithmetic on constant timespans, datetimes and numbers (let lookupBin = lookupWindow / 2.0).</summary>
    private static SqlValue? TryFold(string op, SqlValue left, SqlValue right)
    {
        if (!left.IsConstant || !right.IsConstant || left.Constant is null || right.Constant is null)
        {
            return null;
        }

        try
        {
            return (left.Constant, right.Constant, op) switch
            {
                (TimeSpan a, TimeSpan b, "+") => SqlValue.Literal(a + b, KqlType.TimeSpan),
                (TimeSpan a, TimeSpan b, "-") => SqlValue.Literal(a - b, KqlType.TimeSpan),
                (TimeSpan a, long b, "*") => SqlValue.Literal(TimeSpan.FromTicks(a.Ticks * b), KqlType.TimeSpan),
                (TimeSpan a, double b, "*") => SqlValue.Literal(TimeSpan.FromTicks((long)Math.Round(a.Ticks * b)), KqlType.TimeSpan),
                (long a, TimeSpan b, "*") => SqlValue.Literal(TimeSpan.FromTicks(a * b.Ticks), KqlType.TimeSpan),
                (double a, TimeSpan b, "*") => SqlValue.Literal(TimeSpan.FromTicks((long)Math.Round(a * b.Ticks)), KqlType.TimeSpan),
                (TimeSpan a, long b, "/") when b != 0 => SqlValue.Literal(TimeSpan.FromTicks(a.Ticks / b), KqlType.TimeSpan),
                (TimeSpan a, double b, "/") when b != 0 => SqlValue.Literal(TimeSpan.FromTicks((long)Math.Round(a.Ticks / b)), KqlType.TimeSpan),
                (DateTime a, TimeSpan b, "+") => SqlValue.Literal(a + b, KqlType.DateTime),
                (DateTime a, TimeSpan b, "-") => SqlValue.Literal(a - b, KqlType.DateTime),
                (DateTime a, DateTime b, "-") => SqlValue.Literal(a - b, KqlType.TimeSpan),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private SqlValue Compare(BinaryExpr binary, SqlValue left, SqlValue right)
    {
        (left, right) = Unify(left, right, binary, $"cannot compare {KqlTypes.Name(left.Type)} with {KqlTypes.Name(right.Type)} using '{binary.Op}'");
        var op = binary.Op switch { "==" => "=", "!=" => "<>", _ => binary.Op };
        var l = left.Type == KqlType.Dynamic ? $"CAST({left.JsonSql} AS VARCHAR)" : left.Sql;
        var r = right.Type == KqlType.Dynamic ? $"CAST({right.JsonSql} AS VARCHAR)" : right.Sql;
        var sql = binary.Op is "==" or "!=" ? Equality(binary.Op == "==", left, l, right, r) : $"({l} {op} {r})";
        return Derived(sql, KqlType.Bool, left, right);
    }

    /// <summary>
    /// Kusto's equality with nulls, not SQL's: a null and a non-null value are unequal (<c>==</c> false, <c>!=</c>
    /// true); two nulls compare as null. Strings are never null, so they compare as in SQL.
    /// </summary>
    private static string Equality(bool equal, SqlValue left, string l, SqlValue right, string r)
    {
        if (left.Type == KqlType.String && right.Type == KqlType.String)
        {
            return equal ? $"({l} = {r})" : $"({l} <> {r})";
        }

        static bool NonNullConstant(SqlValue v) => v is { IsConstant: true, Constant: not null };
        if (NonNullConstant(left) || NonNullConstant(right))
        {
            return equal ? $"coalesce({l} = {r}, false)" : $"coalesce({l} <> {r}, true)";
        }

        var same = equal ? $"({l} IS NOT DISTINCT FROM {r})" : $"({l} IS DISTINCT FROM {r})";
        return $"(CASE WHEN {l} IS NULL AND {r} IS NULL THEN NULL ELSE {same} END)";
    }

    /// <summary>Brings two operands to a common type for comparison, or throws with <paramref name="message"/>.</summary>
    private (SqlValue, SqlValue) Unify(SqlValue left, SqlValue right, Expr at, string message)
    {
        if (left.Type == right.Type)
        {
            return (left, right);
        }

        if (KqlTypes.IsNumeric(left.Type) && KqlTypes.IsNumeric(right.Type))
        {
            return (left, right);
        }

        if (left.Type == KqlType.Dynamic)
        {
            return (Convert(left, right.Type, at.Pos), right);
        }

        if (right.Type == KqlType.Dynamic)
        {
            return (left, Convert(right, left.Type, at.Pos));
        }

        // A string literal compared with a datetime, timespan or guid is read as that type.
        if (right is { IsConstant: true, Constant: string s } && left.Type is KqlType.DateTime or KqlType.TimeSpan or KqlType.Guid or KqlType.Bool)
        {
            if (Values.KqlValueParser.TryParse(s, left.Type, out var v))
            {
                return (left, SqlValue.Literal(v, left.Type));
            }
        }

        if (left is { IsConstant: true, Constant: string s2 } && right.Type is KqlType.DateTime or KqlType.TimeSpan or KqlType.Guid or KqlType.Bool)
        {
            if (Values.KqlValueParser.TryParse(s2, right.Type, out var v))
            {
                return (SqlValue.Literal(v, right.Type), right);
            }
        }

        if (left.Type == KqlType.Guid && right.Type == KqlType.String)
        {
            return (ToStringValue(left), right);
        }

        if (right.Type == KqlType.Guid && left.Type == KqlType.String)
        {
            return (left, ToStringValue(right));
        }

        // A null literal of any type compares with anything.
        if (left is { IsConstant: true, Constant: null })
        {
            return (SqlValue.Literal(null, right.Type), right);
        }

        if (right is { IsConstant: true, Constant: null })
        {
            return (left, SqlValue.Literal(null, left.Type));
        }

        throw at.Pos.Error(message);
    }

    private SqlValue StringOperator(BinaryExpr binary, SqlValue left, SqlValue right)
    {
        var l = ToStringValue(left);
        var r = ToStringValue(right);
        var op = binary.Op;
        var negate = op.StartsWith('!');
        var name = negate ? op[1..] : op;
        var caseSensitive = name.EndsWith("_cs", StringComparison.Ordinal);
        if (caseSensitive)
        {
            name = name[..^3];
        }

        string sql;
        var needle = r is { IsConstant: true, Constant: string s } ? s : null;
        switch (name)
        {
            case "has":
            case "hasprefix":
            case "hassuffix":
                sql = HasSql(l.Sql, r, needle, caseSensitive, prefixBoundary: name != "hassuffix", suffixBoundary: name != "hasprefix");
                break;
            case "contains":
                sql = caseSensitive ? $"contains({l.Sql}, {r.Sql})" : $"contains(lower({l.Sql}), {Lower(r, needle)})";
                break;
            case "startswith":
                sql = caseSensitive ? $"starts_with({l.Sql}, {r.Sql})" : $"starts_with(lower({l.Sql}), {Lower(r, needle)})";
                break;
            case "endswith":
                sql = caseSensitive ? $"suffix({l.Sql}, {r.Sql})" : $"suffix(lower({l.Sql}), {Lower(r, needle)})";
                break;
            case "matches regex":
                if (needle is not null)
                {
                    ValidateRegex(needle, binary.Right.Pos);
                }

                sql = $"regexp_matches({l.Sql}, {r.Sql})";
                break;
            default:
                throw binary.Pos.Error($"unknown operator '{op}'");
        }

        return Derived(negate ? $"(NOT ({sql}))" : $"({sql})", KqlType.Bool, l, r);
    }

    private static string Lower(SqlValue value, string? constant) =>
        constant is not null ? Sql.String(constant.ToLowerInvariant()) : $"lower({value.Sql})";

    /// <summary>
    /// Checks a regular expression with the rules of RE2, the engine that runs it, so an unsupported construct is a
    /// query error at <paramref name="pos"/> rather than a failure while the query runs.
    /// </summary>
    public static void ValidateRegex(string pattern, SourcePosition pos)
    {
        if (Patterns.Re2Pattern.Check(pattern) is { } error)
        {
            throw pos.Error($"invalid regular expression '{pattern}': {error.Message} (at character {error.Index + 1} of the pattern)");
        }
    }

    /// <summary>
    /// Kusto's <c>has</c>: the needle occurs as a whole term, case-insensitively. Terms are runs of
    /// ASCII letters and digits, so the needle's ends must sit on term boundaries.
    /// </summary>
    internal static string HasSql(string haystack, SqlValue needleValue, string? needle, bool caseSensitive, bool prefixBoundary, bool suffixBoundary)
    {
        var flags = caseSensitive ? "" : "(?i)";
        if (needle is not null)
        {
            if (needle.Length == 0)
            {
                return "TRUE";
            }

            var before = prefixBoundary && char.IsAsciiLetterOrDigit(needle[0]) ? "(^|[^0-9A-Za-z])" : "";
            var after = suffixBoundary && char.IsAsciiLetterOrDigit(needle[^1]) ? "($|[^0-9A-Za-z])" : "";
            var pattern = flags + before + Sql.RegexEscape(needle) + after;
            // The substring test is cheap and rules out most rows before the regex runs.
            var quick = caseSensitive
                ? $"contains({haystack}, {Sql.String(needle)})"
                : $"contains(lower({haystack}), {Sql.String(needle.ToLowerInvariant())})";
            return $"{quick} AND regexp_matches({haystack}, {Sql.String(pattern)})";
        }

        var escaped = $"regexp_replace({needleValue.Sql}, '([.^$|?*+()\\[\\]{{}}\\\\])', '\\\\\\1', 'g')";
        var dynamicPattern = $"'{flags}{(prefixBoundary ? "(^|[^0-9A-Za-z])" : "")}' || {escaped} || '{(suffixBoundary ? "($|[^0-9A-Za-z])" : "")}'";
        return $"({needleValue.Sql} = '' OR regexp_matches({haystack}, {dynamicPattern}))";
    }

    private SqlValue BindIn(InExpr expr, BindContext ctx)
    {
        var value = Bind(expr.Value, ctx);
        var items = new List<string>();
        var arrays = new List<string>();
        foreach (var item in expr.Items)
        {
            var tabular = item switch
            {
                TabularArgExpr t => t.Query,
                // x in (large_states) where large_states is a tabular let or a table.
                NameExpr n when ctx.Row?.Find(n.Name) is null && IsTabularName(n.Name, ctx.Scope) => new NameSource(n.Pos, n.Name),
                _ => null,
            };
            if (tabular is not null)
            {
                var rel = Owner.BindTabular(tabular, new Scope(ctx.Scope));
                if (rel.Columns.Count == 0)
                {
                    throw item.Pos.Error("the tabular expression in 'in' has no columns");
                }

                var first = rel.Columns[0];
                var col = expr.CaseInsensitive ? $"lower({first.Ref})" : first.Ref;
                items.Add($"SELECT {col} FROM {rel.From} AS {Owner.NextAlias()}");
                continue;
            }

            var v = Bind(item, ctx);
            if (v.ListElement is not null || (v.Type == KqlType.Dynamic && item is LiteralExpr { Value: string json } && json.StartsWith('[')))
            {
                // x in (dynamic([1, 2])): the array's elements are the set.
                var list = v.ListElement is not null ? v.Sql : $"CAST({v.Sql} AS JSON[])";
                var target = v.ListElement is not null ? value : ToStringValue(value);
                var element = v.ListElement is not null ? "x" : "json_extract_string(x, '$')";
                var targetSql = target.Sql;
                if (expr.CaseInsensitive)
                {
                    element = $"lower(CAST({element} AS VARCHAR))";
                    targetSql = $"lower({ToStringValue(value).Sql})";
                }

                arrays.Add($"list_contains(list_transform({list}, x -> {element}), {targetSql})");
                continue;
            }

            var (l, r) = Unify(value, v, item, $"'in' compares {KqlTypes.Name(value.Type)} with a {KqlTypes.Name(v.Type)} item");
            value = l;
            items.Add(expr.CaseInsensitive ? $"lower({ToStringValue(r).Sql})" : r.Sql);
        }

        if (items.Count == 0 && arrays.Count == 0)
        {
            return new SqlValue(expr.Negated ? "TRUE" : "FALSE", KqlType.Bool);
        }

        var left = expr.CaseInsensitive ? $"lower({ToStringValue(value).Sql})" : value.Sql;
        var subqueries = items.Where(i => i.StartsWith("SELECT ", StringComparison.Ordinal)).ToList();
        var scalars = items.Except(subqueries).ToList();
        var parts = new List<string>();
        if (scalars.Count > 0)
        {
            parts.Add($"{left} IN ({string.Join(", ", scalars)})");
        }

        parts.AddRange(subqueries.Select(q => $"{left} IN ({q})"));
        parts.AddRange(arrays);
        var sql = "(" + string.Join(" OR ", parts) + ")";
        return Derived(expr.Negated ? $"(NOT {sql})" : sql, KqlType.Bool, value);
    }

    private bool IsTabularName(string name, Scope scope) => scope.Lookup(name) switch
    {
        TabularBinding or RelationBinding => true,
        null => Owner.Catalog.TryGetTable(name, out _),
        _ => false,
    };

    private SqlValue BindBetween(BetweenExpr expr, BindContext ctx)
    {
        var value = Bind(expr.Value, ctx);
        var low = Bind(expr.Low, ctx);
        var high = Bind(expr.High, ctx);
        if (value.Type == KqlType.DateTime && high.Type == KqlType.TimeSpan)
        {
            // datetime between (start .. 1h) means start .. start + 1h.
            high = Arithmetic(new BinaryExpr(expr.Pos, "+", expr.Low, expr.High), low, high);
        }

        (value, low) = Unify(value, low, expr, $"between compares {KqlTypes.Name(value.Type)} with {KqlTypes.Name(low.Type)}");
        (value, high) = Unify(value, high, expr, $"between compares {KqlTypes.Name(value.Type)} with {KqlTypes.Name(high.Type)}");
        var sql = $"({value.Sql} {(expr.Negated ? "NOT " : "")}BETWEEN {low.Sql} AND {high.Sql})";
        return Derived(sql, KqlType.Bool, value, low, high);
    }

    // ---- dynamic access ---------------------------------------------------------------------------

    private SqlValue BindMember(MemberExpr member, BindContext ctx)
    {
        if (member.Target is NameExpr { Name: "$left" or "$right" })
        {
            throw member.Pos.Error("$left and $right are only allowed in join conditions");
        }

        var target = Bind(member.Target, ctx);
        if (target.Type != KqlType.Dynamic)
        {
            throw member.Pos.Error($"'.{member.Name}' needs a dynamic value but the left side is {KqlTypes.Name(target.Type)}");
        }

        return Derived($"json_extract({target.JsonSql}, {Sql.String("/" + Sql.PointerSegment(member.Name))})", KqlType.Dynamic, target);
    }

    private SqlValue BindIndex(IndexExpr index, BindContext ctx)
    {
        var target = Bind(index.Target, ctx);
        var key = Bind(index.Index, ctx);
        if (target.Type != KqlType.Dynamic)
        {
            throw index.Pos.Error($"'[…]' needs a dynamic value but the indexed value is {KqlTypes.Name(target.Type)}");
        }

        if (target.ListElement is { } element && KqlTypes.IsNumeric(key.Type))
        {
            // DuckDB lists are 1-based and accept negative indexes from the end, like Kusto's.
            var position = key is { IsConstant: true, Constant: long k } ? (k >= 0 ? Sql.Long(k + 1) : Sql.Long(k)) : $"(CASE WHEN {key.Sql} >= 0 THEN {key.Sql} + 1 ELSE {key.Sql} END)";
            var item = $"list_extract({target.Sql}, {position})";
            var asJson = element == KqlType.String ? $"to_json({item})" : $"to_json({item})";
            return Derived(asJson, KqlType.Dynamic, target, key) with { StringForm = element == KqlType.String ? item : null };
        }

        var json = target.JsonSql;
        string path;
        if (key is { IsConstant: true, Constant: long i })
        {
            path = Sql.String(i >= 0 ? "/" + i.ToString(CultureInfo.InvariantCulture) : $"$[#{i.ToString(CultureInfo.InvariantCulture)}]");
        }
        else if (key is { IsConstant: true, Constant: string s })
        {
            path = Sql.String("/" + Sql.PointerSegment(s));
        }
        else if (KqlTypes.IsNumeric(key.Type))
        {
            path = $"(CASE WHEN {key.Sql} >= 0 THEN '/' || CAST({key.Sql} AS VARCHAR) ELSE '$[#' || CAST({key.Sql} AS VARCHAR) || ']' END)";
        }
        else if (key.Type == KqlType.String)
        {
            path = $"('/' || replace(replace({key.Sql}, '~', '~0'), '/', '~1'))";
        }
        else
        {
            throw index.Index.Pos.Error($"an index must be a number or a string, not {KqlTypes.Name(key.Type)}");
        }

        return Derived($"json_extract({json}, {path})", KqlType.Dynamic, target, key);
    }
}
