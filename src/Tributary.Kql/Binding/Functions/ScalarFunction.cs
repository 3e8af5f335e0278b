namespace Tributary.Kql.Binding.Functions;

/// <summary>A built-in scalar function (<c>strlen</c>, <c>bin</c>, <c>prev</c> …). See <see cref="BuiltInFunction"/>.</summary>
internal sealed record ScalarFunction(string Name, Arity Arity, string Signature, string Summary, Func<FunctionCall, SqlValue> Bind)
    : BuiltInFunction(Name, Arity, Signature, Summary, Bind)
{
    /// <summary>
    /// False (the default): every argument is bound, left to right, before <see cref="BuiltInFunction.Bind"/> runs, so
    /// an argument's own error comes first. True for functions that read an argument as syntax (toscalar's query,
    /// prev's constant offset) and bind what they need themselves.
    /// </summary>
    public bool BindsOwnArguments { get; init; }
}
