using System.Text;
using static Tributary.Kql.Binding.ExpressionBinder;

namespace Tributary.Kql.Binding.Functions;

/// <summary>Choosing between values and testing for empty ones: iff, case, coalesce, isempty, isnull, not.</summary>
internal static class ConditionalFunctions
{
    public static IReadOnlyList<ScalarFunction> All { get; } =
    [
        new("iff", Arity.Exactly(3), "iff(condition: bool, then: any, else: any): any", "The then value when the condition holds, else the else value (also when the condition is null).", Iff)
        {
            Aliases = ["iif"],
        },
        new("case", Arity.AtLeast(3), "case(condition: bool, then: any, ..., else: any): any", "The value after the first condition that holds, else the last argument.", Case),
        new("coalesce", Arity.AtLeast(2), "coalesce(value: any, value: any, ...): any", "The first value that is not null (for strings: not empty).", Coalesce),
        new("isempty", Arity.Exactly(1), "isempty(value: any): bool", "True for null and for the empty string.", c => Empty(c, negate: false)),
        new("isnotempty", Arity.Exactly(1), "isnotempty(value: any): bool", "False for null and for the empty string.", c => Empty(c, negate: true)),
        new("isnull", Arity.Exactly(1), "isnull(value: any): bool", "True for null; always false for a string (strings have no null).", c => Null(c, negate: false)),
        new("isnotnull", Arity.Exactly(1), "isnotnull(value: any): bool", "False for null; always true for a string.", c => Null(c, negate: true)),
        new("not", Arity.Exactly(1), "not(condition: bool): bool", "The negation of a bool.", c => Derived($"(NOT {c.Predicate(0).Sql})", KqlType.Bool, c.Arg(0))),
    ];

    private static SqlValue Iff(FunctionCall c)
    {
        var cond = c.Predicate(0);
        var (t, f) = c.Unify(c.Arg(1), c.Arg(2));
        return Derived($"(CASE WHEN {cond.Sql} THEN {t.Sql} ELSE {f.Sql} END)", t.Type, cond, t, f);
    }

    private static SqlValue Case(FunctionCall c)
    {
        var a = c.Args;
        if (a.Count % 2 == 0)
        {
            throw c.Error("case needs condition/value pairs and a final else value: case(c1, v1, c2, v2, …, else)");
        }

        // The else value first, then each branch value, as Kusto infers the result type.
        var type = c.UnifyAll([a[^1], .. a.Where((_, i) => i % 2 == 1)]);
        var sb = new StringBuilder("(CASE");
        for (var i = 0; i < a.Count - 1; i += 2)
        {
            sb.Append(" WHEN ").Append(c.Predicate(i).Sql).Append(" THEN ").Append(c.Binder.Convert(a[i + 1], type, c.ArgPos(i + 1)).Sql);
        }

        sb.Append(" ELSE ").Append(c.Binder.Convert(a[^1], type, c.ArgPos(a.Count - 1)).Sql).Append(" END)");
        return Derived(sb.ToString(), type, [.. a]);
    }

    private static SqlValue Coalesce(FunctionCall c)
    {
        var a = c.Args;
        var type = c.UnifyAll(a);
        var parts = a.Select((_, i) => c.ConvertArg(i, type).Sql).ToList();
        // A string's null is "", so coalesce skips empty strings.
        var sql = type == KqlType.String
            ? $"coalesce({string.Join(", ", parts.Select(p => $"nullif({p}, '')"))}, '')"
            : $"coalesce({string.Join(", ", parts)})";
        return Derived(sql, type, [.. a]);
    }

    private static SqlValue Empty(FunctionCall c, bool negate)
    {
        var v = c.Arg(0);
        var empty = v.Type switch
        {
            KqlType.String => $"({v.Sql} = '')",
            KqlType.Dynamic => $"({v.JsonSql} IS NULL OR json_type({v.JsonSql}) = 'NULL' OR {v.JsonSql} = '\"\"')",
            _ => $"({v.Sql} IS NULL)",
        };
        return Derived(negate ? $"(NOT {empty})" : empty, KqlType.Bool, v);
    }

    private static SqlValue Null(FunctionCall c, bool negate)
    {
        var v = c.Arg(0);
        var isNull = v.Type switch
        {
            KqlType.String => "FALSE",
            KqlType.Dynamic => $"({v.JsonSql} IS NULL OR json_type({v.JsonSql}) = 'NULL')",
            _ => $"({v.Sql} IS NULL)",
        };
        return Derived(negate ? $"(NOT {isNull})" : isNull, KqlType.Bool, v);
    }
}
