using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding;

/// <summary>
/// The names Kusto gives a column computed by an expression it is not told to name: a column keeps its name, a member
/// or a constant index of it joins the names (<c>d.x</c>, <c>d["x"]</c> → <c>d_x</c>), and some functions pass their
/// first argument's name on (<c>tostring(d.x)</c> → <c>d_x</c>, <c>bin(Timestamp, 1h)</c> → <c>Timestamp</c>) or
/// prefix it with their own (<c>strlen(Name)</c> → <c>strlen_Name</c>). Which functions do is Kusto's fact, listed here.
/// </summary>
internal static class ResultNames
{
    /// <summary>Functions whose result takes the name of their first argument.</summary>
    private static readonly HashSet<string> FirstArgument = new(StringComparer.Ordinal)
    {
        "abs", "acos", "asin", "atan", "atan2", "bin", "bin_at", "bin_auto", "binary_and", "binary_not", "binary_or",
        "binary_shift_left", "binary_shift_right", "binary_xor", "bitset_count_ones", "ceiling", "cos", "erf", "erfc", "exp",
        "exp10", "exp2", "floor", "format_bytes", "format_datetime", "format_timespan", "gamma", "log", "log10", "log2",
        "loggamma", "parse_csv", "parse_json", "parse_xml", "parsejson", "pow", "rand", "round", "series_fill_backward",
        "series_fill_const", "series_fill_forward", "series_fill_linear", "series_fir", "series_iir", "series_outliers", "sin",
        "split", "sqrt", "startofday", "tan", "tobool", "toboolean", "todatetime", "todecimal", "todouble", "todynamic",
        "toguid", "tohex", "toint", "tolong", "toobject", "toreal", "tostring", "totime", "totimespan",
    };

    /// <summary>Functions whose result is named <c>function_argument</c>.</summary>
    private static readonly HashSet<string> NameAndFirstArgument = new(StringComparer.Ordinal)
    {
        "dcount_hll", "percentile_tdigest", "string_size", "strlen",
    };

    /// <summary>Functions whose result takes the name of their argument when they have only one.</summary>
    private static readonly HashSet<string> OnlyArgument = new(StringComparer.Ordinal) { "make_datetime", "make_timespan" };

    /// <summary>The name Kusto infers for <paramref name="expr"/>, or null when it infers none (the column is then <c>Column1</c> …).</summary>
    public static string? Of(Expr expr) => expr switch
    {
        NameExpr n => n.Name,
        MemberExpr m when Of(m.Target) is { } t => t + "_" + m.Name,
        IndexExpr { Index: LiteralExpr { Value: string key } } ix when Of(ix.Target) is { } t => t + "_" + key,
        CallExpr { Args.Count: > 0 } call => OfCall(call),
        _ => null,
    };

    private static string? OfCall(CallExpr call)
    {
        var first = Of(call.Args[0]);
        if (first is null)
        {
            return null;
        }

        if (FirstArgument.Contains(call.Name) || (OnlyArgument.Contains(call.Name) && call.Args.Count == 1))
        {
            return first;
        }

        return NameAndFirstArgument.Contains(call.Name) ? $"{call.Name}_{first}" : null;
    }
}
