using Tributary.Kql.Syntax;

namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// A built-in aggregate (<c>count</c>, <c>sum</c>, <c>make_list</c> …). See <see cref="BuiltInFunction"/>.
/// <see cref="BuiltInFunction.Bind"/> binds one use as a value (<c>sum(x) / count()</c>); it binds its arguments
/// itself, as <c>count(*)</c> has no scalar argument. Aggregates that give several columns or whole rows
/// (arg_max, arg_min, percentiles, take_any(*)) are bound by summarize (<see cref="Binding.Aggregates"/>) and
/// refuse to be used inside an expression.
/// </summary>
internal sealed record AggregateFunction(string Name, Arity Arity, string Signature, string Summary, Func<FunctionCall, SqlValue> Bind)
    : BuiltInFunction(Name, Arity, Signature, Summary, Bind)
{
    /// <summary>
    /// Kusto's name for the column of an unnamed use, from the call and its first argument's name (null when that
    /// argument has none): <c>count_</c>, <c>dcount_HostId</c>, <c>list_x</c>. The default is name_argument.
    /// </summary>
    public Func<CallExpr, string?, string> ColumnName { get; init; } = (call, argument) => call.Name + "_" + argument;

    /// <summary>The binder of an aggregate that only summarize itself binds (arg_max, percentiles): used in an expression, it fails.</summary>
    public static SqlValue OnlyInSummarize(FunctionCall call) =>
        throw call.Error($"{call.Name} must be used directly in summarize, not inside an expression");
}
