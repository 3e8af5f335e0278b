namespace Tributary.Kql.Binding.Functions;

/// <summary>
/// One entry of the <see cref="FunctionRegistry"/>: a name and its other spellings, how many arguments it takes,
/// a signature and a one-line summary for docs/kql.md, and the binder that turns a call into SQL.
/// </summary>
/// <param name="Name">The name as Kusto documents it (or as Tributary adds it, see <see cref="Origin"/>).</param>
/// <param name="Arity">The argument counts accepted; the registry checks it before <paramref name="Bind"/> runs.</param>
/// <param name="Signature">Parameters and result for people: <c>substring(text: string, start: long [, length: long]): string</c>.
/// Optional parameters are in brackets and <c>...</c> repeats what comes before it; it must agree with <paramref name="Arity"/>.</param>
/// <param name="Summary">One sentence for docs/kql.md.</param>
/// <param name="Bind">Turns a call into SQL with Kusto's semantics, or throws <see cref="KqlException"/> naming the bad argument.</param>
internal abstract record BuiltInFunction(string Name, Arity Arity, string Signature, string Summary, Func<FunctionCall, SqlValue> Bind)
{
    /// <summary>Other names that bind the same way (<c>iif</c> for <c>iff</c>); errors quote the name as written.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public FunctionOrigin Origin { get; init; } = FunctionOrigin.Kusto;

    /// <summary>Where Tributary deliberately gives a different answer than Kusto, or accepts less; null when it does not.</summary>
    public string? Difference { get; init; }

    /// <summary>The name and the aliases.</summary>
    public IEnumerable<string> Names => [Name, .. Aliases];
}
